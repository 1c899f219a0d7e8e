// libpng (Debian libpng-dev).
//
// Decoding uses libpng's full API rather than the simplified png_image_* one: the simplified
// reader applies gAMA chunks and treats 16-bit files as linear light, so its 8-bit output would
// differ from the stored values that PIL (and Keras, torchvision) return. The full API reports
// errors by longjmp; setjmp stays inside glimpse_png_decode, never across a Swift frame.
// Encoding uses the simplified writer (png_image_write_to_memory), which needs no setjmp.
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <png.h>

/// What glimpse_png_decode learnt about a PNG stream.
typedef struct {
  unsigned width;
  unsigned height;
  int bit_depth;    // 1, 2, 4, 8 or 16
  int color_type;   // PNG_COLOR_TYPE_*: 0 grey, 2 RGB, 3 palette, 4 grey+alpha, 6 RGBA
  int interlaced;   // 1 for Adam7
  int warnings;     // libpng warnings (e.g. a bad CRC in an ancillary chunk, which is skipped)
  int failed;       // 1 when libpng raised an error
  char message[200];
} glimpse_png_result;

typedef struct {
  const unsigned char *data;
  size_t size;
  size_t offset;
} glimpse_png_source;

static void glimpse_png_read(png_structp png, png_bytep out, size_t length) {
  glimpse_png_source *source = (glimpse_png_source *)png_get_io_ptr(png);
  if (length > source->size - source->offset) png_error(png, "unexpected end of file");
  memcpy(out, source->data + source->offset, length);
  source->offset += length;
}

static void glimpse_png_error(png_structp png, png_const_charp message) {
  glimpse_png_result *result = (glimpse_png_result *)png_get_error_ptr(png);
  snprintf(result->message, sizeof result->message, "%s", message);
  result->failed = 1;
  png_longjmp(png, 1);
}

static void glimpse_png_warning(png_structp png, png_const_charp message) {
  glimpse_png_result *result = (glimpse_png_result *)png_get_error_ptr(png);
  (void)message;
  result->warnings += 1;
}

/// Reads a PNG held in memory: the header only when `out` is NULL, else every pixel as RGBA.
///
/// Every colour type and bit depth becomes 8-bit RGBA, `width * 4` bytes per row: palettes and
/// low bit depths are expanded (grey 0..3 becomes 0, 85, 170, 255), 16-bit samples keep their high
/// byte, grey is replicated, tRNS becomes alpha, a missing alpha is 255; gamma and colour
/// profiles are ignored. Returns 1 on success, 0 on error (`result->message`).
static inline int glimpse_png_decode(
    const unsigned char *data, size_t size, unsigned char *out, size_t out_size,
    glimpse_png_result *result) {
  memset(result, 0, sizeof *result);
  png_structp png = png_create_read_struct(
      PNG_LIBPNG_VER_STRING, result, glimpse_png_error, glimpse_png_warning);
  if (png == NULL) {
    snprintf(result->message, sizeof result->message, "libpng could not start");
    result->failed = 1;
    return 0;
  }
  png_infop info = png_create_info_struct(png);
  if (info == NULL) {
    png_destroy_read_struct(&png, NULL, NULL);
    snprintf(result->message, sizeof result->message, "libpng could not start");
    result->failed = 1;
    return 0;
  }
  glimpse_png_source source = {data, size, 0};
  if (setjmp(png_jmpbuf(png))) {
    png_destroy_read_struct(&png, &info, NULL);
    return 0;
  }
  png_set_read_fn(png, &source, glimpse_png_read);
  png_read_info(png, info);
  result->width = png_get_image_width(png, info);
  result->height = png_get_image_height(png, info);
  result->bit_depth = png_get_bit_depth(png, info);
  result->color_type = png_get_color_type(png, info);
  result->interlaced = png_get_interlace_type(png, info) == PNG_INTERLACE_ADAM7;
  if (out == NULL) {
    png_destroy_read_struct(&png, &info, NULL);
    return 1;
  }
  png_set_expand(png);
  png_set_strip_16(png);
  png_set_gray_to_rgb(png);
  png_set_add_alpha(png, 0xff, PNG_FILLER_AFTER);  // no effect when the file has alpha
  int passes = png_set_interlace_handling(png);
  png_read_update_info(png, info);
  size_t stride = (size_t)result->width * 4;
  if (png_get_rowbytes(png, info) != stride || stride * result->height > out_size)
    png_error(png, "output buffer does not fit the image");
  for (int pass = 0; pass < passes; pass++)
    for (unsigned y = 0; y < result->height; y++)
      png_read_row(png, out + (size_t)y * stride, NULL);
  // Chunks after the image data are not read: the pixels are complete, and PIL too ignores
  // damage past the last IDAT.
  png_destroy_read_struct(&png, &info, NULL);
  return 1;
}

/// An upper bound on the bytes glimpse_png_encode writes for an 8-bit image of this size.
static inline size_t glimpse_png_encode_bound(unsigned width, unsigned height, int channels) {
  png_image image;
  memset(&image, 0, sizeof image);
  image.version = PNG_IMAGE_VERSION;
  image.width = width;
  image.height = height;
  image.format = channels == 1 ? PNG_FORMAT_GRAY
               : channels == 3 ? PNG_FORMAT_RGB : PNG_FORMAT_RGBA;
  return PNG_IMAGE_PNG_SIZE_MAX(image);
}

/// Encodes 8-bit grey (1 channel), RGB (3) or RGBA (4) pixels, rows packed, as PNG into `out`.
///
/// `fast` selects light compression (about 5x faster, files about 1.5-2x larger). On entry
/// `*out_size` is the capacity of `out`; on success it is the PNG's length. Returns 1 on
/// success, 0 with `message` (200 bytes) on failure.
static inline int glimpse_png_encode(
    const unsigned char *pixels, unsigned width, unsigned height, int channels, int fast,
    unsigned char *out, size_t *out_size, char *message) {
  png_image image;
  memset(&image, 0, sizeof image);
  image.version = PNG_IMAGE_VERSION;
  image.width = width;
  image.height = height;
  image.format = channels == 1 ? PNG_FORMAT_GRAY
               : channels == 3 ? PNG_FORMAT_RGB : PNG_FORMAT_RGBA;
  image.flags = fast ? PNG_IMAGE_FLAG_FAST : 0;
  png_alloc_size_t length = *out_size;
  if (!png_image_write_to_memory(&image, out, &length, 0, pixels, 0, NULL)) {
    snprintf(message, 200, "%s", image.message);
    png_image_free(&image);
    return 0;
  }
  *out_size = length;
  return 1;
}
