// libjpeg-turbo with the 6.2 ABI (Debian libjpeg-dev). jpeglib.h needs stdio.h first.
#include <stdio.h>
#include <jpeglib.h>
