// libpng (Debian: libpng-dev), used to write images and charts.
#include <png.h>
