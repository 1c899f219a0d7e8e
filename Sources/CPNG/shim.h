// libpng (Debian libpng-dev). Glimpse uses the simplified png_image_* API, which needs no setjmp.
#include <png.h>
