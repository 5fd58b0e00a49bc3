// zlib (Debian: zlib1g-dev), used to read gzip-compressed IDX files.
#include <zlib.h>
