// OpenBLAS's CBLAS interface and LAPACKE (Debian: libopenblas-dev, liblapacke-dev).
#include <cblas.h>
#include <lapacke.h>

// OpenBLAS extensions (declared again here in case cblas.h is the reference one).
void openblas_set_num_threads(int num_threads);
int openblas_get_num_threads(void);
char *openblas_get_corename(void);
