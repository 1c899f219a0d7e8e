// libjpeg-turbo with the 6.2 ABI (Debian libjpeg-dev). jpeglib.h needs stdio.h first.
//
// libjpeg reports fatal errors by calling error_exit, which must not return. Glimpse's handler
// longjmps back into glimpse_jpeg_decode below: setjmp and longjmp both stay inside this header's
// C frames, never across a Swift frame. Warnings (e.g. a truncated file, which libjpeg pads with
// grey and reports only as a warning) are counted so the caller can refuse them.
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <jpeglib.h>
#include <jerror.h>

/// What glimpse_jpeg_decode learnt about a JPEG stream.
typedef struct {
  unsigned width;         // image_width from the frame header
  unsigned height;        // image_height
  int components;         // components in the file (1 grey, 3 YCbCr/RGB, 4 CMYK/YCCK)
  int color_space;        // J_COLOR_SPACE of the file (JCS_GRAYSCALE = 1, ..., JCS_YCCK = 5)
  int out_components;     // components written per pixel: 3 (RGB) or 4 (CMYK, Adobe inverted)
  int progressive;        // 1 for a progressive (SOF2) stream
  int warnings;           // libjpeg warnings (corrupt data, premature end)
  int truncated;          // 1 when libjpeg hit the end of the data before the image was complete
  int failed;             // 1 when libjpeg raised a fatal error
  char message[JMSG_LENGTH_MAX];  // the fatal error, or else the first warning
} glimpse_jpeg_result;

typedef struct {
  struct jpeg_error_mgr pub;  // must come first: libjpeg sees only this part
  jmp_buf jump;
  glimpse_jpeg_result *result;
} glimpse_jpeg_error_mgr;

static void glimpse_jpeg_error_exit(j_common_ptr cinfo) {
  glimpse_jpeg_error_mgr *err = (glimpse_jpeg_error_mgr *)cinfo->err;
  (*cinfo->err->format_message)(cinfo, err->result->message);
  err->result->failed = 1;
  longjmp(err->jump, 1);
}

static void glimpse_jpeg_emit_message(j_common_ptr cinfo, int level) {
  if (level >= 0) return;  // trace messages
  glimpse_jpeg_error_mgr *err = (glimpse_jpeg_error_mgr *)cinfo->err;
  if (err->result->warnings == 0) (*cinfo->err->format_message)(cinfo, err->result->message);
  err->result->warnings += 1;
  if (cinfo->err->msg_code == JWRN_JPEG_EOF) err->result->truncated = 1;
}

/// Reads a JPEG held in memory: the header only when `out` is NULL, else every pixel.
///
/// Pixels go to `out` row by row, `width * out_components` bytes per row: RGB for grey and colour
/// files, raw CMYK (as stored, i.e. inverted under the Adobe convention) for CMYK and YCCK files.
/// Returns 1 on success (warnings are counted in `result`), 0 on a fatal error (`result->message`).
static inline int glimpse_jpeg_decode(
    const unsigned char *data, unsigned long size, unsigned char *out, size_t out_size,
    glimpse_jpeg_result *result) {
  struct jpeg_decompress_struct cinfo;
  glimpse_jpeg_error_mgr err;
  memset(result, 0, sizeof *result);
  memset(&cinfo, 0, sizeof cinfo);  // so jpeg_destroy is safe whatever point an error leaves
  cinfo.err = jpeg_std_error(&err.pub);
  err.pub.error_exit = glimpse_jpeg_error_exit;
  err.pub.emit_message = glimpse_jpeg_emit_message;
  err.result = result;
  if (setjmp(err.jump)) {
    jpeg_destroy_decompress(&cinfo);
    return 0;
  }
  jpeg_create_decompress(&cinfo);
  jpeg_mem_src(&cinfo, data, size);
  jpeg_read_header(&cinfo, TRUE);
  result->width = cinfo.image_width;
  result->height = cinfo.image_height;
  result->components = cinfo.num_components;
  result->color_space = (int)cinfo.jpeg_color_space;
  result->progressive = cinfo.progressive_mode ? 1 : 0;
  if (out == NULL) {
    jpeg_destroy_decompress(&cinfo);
    return 1;
  }
  if (cinfo.jpeg_color_space == JCS_CMYK || cinfo.jpeg_color_space == JCS_YCCK)
    cinfo.out_color_space = JCS_CMYK;  // libjpeg turns YCCK into CMYK itself
  else
    cinfo.out_color_space = JCS_RGB;  // grey is replicated into R, G and B
  jpeg_start_decompress(&cinfo);
  size_t stride = (size_t)cinfo.output_width * (size_t)cinfo.output_components;
  result->out_components = cinfo.output_components;
  if (stride * cinfo.output_height > out_size || cinfo.output_width != cinfo.image_width
      || cinfo.output_height != cinfo.image_height) {
    snprintf(result->message, sizeof result->message, "output buffer does not fit the image");
    result->failed = 1;
    jpeg_destroy_decompress(&cinfo);
    return 0;
  }
  while (cinfo.output_scanline < cinfo.output_height) {
    JSAMPROW row = out + (size_t)cinfo.output_scanline * stride;
    jpeg_read_scanlines(&cinfo, &row, 1);
  }
  jpeg_finish_decompress(&cinfo);
  jpeg_destroy_decompress(&cinfo);
  return 1;
}
