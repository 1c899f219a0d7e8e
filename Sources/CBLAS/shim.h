// OpenBLAS through its CBLAS interface (Debian libopenblas-dev).
#include <cblas.h>

// Declared by OpenBLAS but not in every cblas.h: which kernel set is active, and thread control.
char *openblas_get_corename(void);
void openblas_set_num_threads(int num_threads);
int openblas_get_num_threads(void);
