// The system zlib (zlib1g-dev), for HdrHistogram's compressed log encoding. No logic here.
#include <zlib.h>
