// OpenBLAS's CBLAS interface (Debian: libopenblas-dev puts cblas.h on the include path).
#include <cblas.h>
// Not in every cblas.h: lets the engine run BLAS single-threaded inside its own worker threads.
void openblas_set_num_threads(int num_threads);
