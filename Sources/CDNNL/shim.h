// oneDNN's C API (Debian libdnnl-dev), plus small helpers that keep its descriptor plumbing in C.
#include <dnnl.h>
#include <stddef.h>
#include <stdint.h>

// libdnnl is built on GNU OpenMP: its thread count is the OpenMP one.
void omp_set_num_threads(int num_threads);

static inline void glimpse_set_omp_threads(int threads) { omp_set_num_threads(threads); }

// One convolution or inner-product primitive (forward, or backward-data) with the layouts it
// wants.
// "in" is what the primitive reads (src; diff_dst for backward), "out" what it writes
// (dst; diff_src). The caller's tensors are plain nchw / goihw; when the primitive chose
// other layouts, the reorders convert on the way in and out.
typedef struct {
  dnnl_primitive_t primitive;
  dnnl_primitive_t in_reorder;   // NULL when the primitive reads nchw
  dnnl_primitive_t out_reorder;  // NULL when the primitive writes nchw
  dnnl_memory_desc_t in_md, out_md, weights_md;
  dnnl_memory_desc_t user_in_md, user_out_md, user_weights_md, bias_md;
  size_t scratchpad_size, in_size, out_size, weights_size;
  int backward_data;
} glimpse_conv;

// How to build a convolution primitive. "in"/"out" are src/dst forward and diff_dst/diff_src
// backward; *_nhwc says the caller's tensor is channels-last (NHWC) rather than NCHW.
typedef struct {
  int backward_data, has_bias;
  int blocked;            // let oneDNN pick the layouts of NCHW sides (reorders convert)
  int in_nhwc, out_nhwc;  // the primitive reads/writes NHWC directly (no reorder)
  int activation;         // fused on the output: 0 none, 1 relu, 2 clip to [low, high]
  float low, high;
} glimpse_conv_options;

// Creates the primitive. d = {n, c, h, w, m, oh, ow, kh, kw, groups, sh, sw, dh, dw, pt, pl,
// pb, pr} (ONNX dilations: 1 = dense).
static inline dnnl_status_t glimpse_conv_create(
    glimpse_conv *cv, dnnl_engine_t engine, const int64_t *d, const glimpse_conv_options *o) {
  dnnl_status_t s;
  int backward_data = o->backward_data, has_bias = o->has_bias, blocked = o->blocked;
  int64_t n = d[0], c = d[1], h = d[2], w = d[3], m = d[4], oh = d[5], ow = d[6];
  int64_t g = d[9];
  dnnl_dims_t src_dims = {n, c, h, w}, dst_dims = {n, m, oh, ow};
  dnnl_dims_t wei_dims = {g, m / g, c / g, d[7], d[8]}, bias_dims = {m};
  dnnl_dims_t strides = {d[10], d[11]}, dil = {d[12] - 1, d[13] - 1};
  dnnl_dims_t pad_l = {d[14], d[15]}, pad_r = {d[16], d[17]};
  dnnl_memory_desc_t src_any, dst_any, wei_any, user_src, user_dst;
  int src_nhwc = backward_data ? o->out_nhwc : o->in_nhwc;
  int dst_nhwc = backward_data ? o->in_nhwc : o->out_nhwc;
  dnnl_format_tag_t plain = blocked ? dnnl_format_tag_any : dnnl_nchw;
  *cv = (glimpse_conv){0};
  cv->backward_data = backward_data;
  dnnl_memory_desc_init_by_tag(&user_src, 4, src_dims, dnnl_f32, src_nhwc ? dnnl_nhwc : dnnl_nchw);
  dnnl_memory_desc_init_by_tag(&user_dst, 4, dst_dims, dnnl_f32, dst_nhwc ? dnnl_nhwc : dnnl_nchw);
  dnnl_memory_desc_init_by_tag(&cv->user_weights_md, 5, wei_dims, dnnl_f32, dnnl_goihw);
  dnnl_memory_desc_init_by_tag(&cv->bias_md, 1, bias_dims, dnnl_f32, dnnl_x);
  dnnl_memory_desc_init_by_tag(&src_any, 4, src_dims, dnnl_f32, src_nhwc ? dnnl_nhwc : plain);
  dnnl_memory_desc_init_by_tag(&dst_any, 4, dst_dims, dnnl_f32, dst_nhwc ? dnnl_nhwc : plain);
  dnnl_memory_desc_init_by_tag(&wei_any, 5, wei_dims, dnnl_f32, dnnl_format_tag_any);

  dnnl_primitive_attr_t attr;
  if ((s = dnnl_primitive_attr_create(&attr)) != dnnl_success) return s;
  dnnl_primitive_attr_set_scratchpad_mode(attr, dnnl_scratchpad_mode_user);
  if (o->activation && !backward_data) {
    dnnl_post_ops_t ops;
    if ((s = dnnl_post_ops_create(&ops)) != dnnl_success) { dnnl_primitive_attr_destroy(attr); return s; }
    if (o->activation == 1) s = dnnl_post_ops_append_eltwise(ops, 1.0f, dnnl_eltwise_relu, 0.0f, 0.0f);
    else s = dnnl_post_ops_append_eltwise(ops, 1.0f, dnnl_eltwise_clip, o->low, o->high);
    if (s == dnnl_success) s = dnnl_primitive_attr_set_post_ops(attr, ops);
    dnnl_post_ops_destroy(ops);
    if (s != dnnl_success) { dnnl_primitive_attr_destroy(attr); return s; }
  }
  dnnl_convolution_desc_t fwd_desc, bwd_desc;
  s = dnnl_dilated_convolution_forward_desc_init(
      &fwd_desc, backward_data ? dnnl_forward_training : dnnl_forward_inference,
      dnnl_convolution_direct, &src_any, &wei_any, has_bias ? &cv->bias_md : NULL, &dst_any,
      strides, dil, pad_l, pad_r);
  if (s != dnnl_success) { dnnl_primitive_attr_destroy(attr); return s; }
  dnnl_primitive_desc_t fwd_pd = NULL, pd = NULL;
  s = dnnl_primitive_desc_create(&fwd_pd, &fwd_desc, backward_data ? NULL : attr, engine, NULL);
  if (s == dnnl_success && backward_data) {
    s = dnnl_dilated_convolution_backward_data_desc_init(
        &bwd_desc, dnnl_convolution_direct, &src_any, &wei_any, &dst_any, strides, dil, pad_l,
        pad_r);
    if (s == dnnl_success) s = dnnl_primitive_desc_create(&pd, &bwd_desc, attr, engine, fwd_pd);
    dnnl_primitive_desc_destroy(fwd_pd);
  } else {
    pd = fwd_pd;
  }
  dnnl_primitive_attr_destroy(attr);
  if (s != dnnl_success) return s;

  cv->in_md = *dnnl_primitive_desc_query_md(pd, backward_data ? dnnl_query_diff_dst_md : dnnl_query_src_md, 0);
  cv->out_md = *dnnl_primitive_desc_query_md(pd, backward_data ? dnnl_query_diff_src_md : dnnl_query_dst_md, 0);
  cv->weights_md = *dnnl_primitive_desc_query_md(pd, dnnl_query_weights_md, 0);
  cv->user_in_md = backward_data ? user_dst : user_src;
  cv->user_out_md = backward_data ? user_src : user_dst;
  cv->scratchpad_size = dnnl_memory_desc_get_size(dnnl_primitive_desc_query_md(pd, dnnl_query_scratchpad_md, 0));
  cv->in_size = dnnl_memory_desc_get_size(&cv->in_md);
  cv->out_size = dnnl_memory_desc_get_size(&cv->out_md);
  cv->weights_size = dnnl_memory_desc_get_size(&cv->weights_md);
  s = dnnl_primitive_create(&cv->primitive, pd);
  dnnl_primitive_desc_destroy(pd);
  if (s != dnnl_success) return s;
  if (!dnnl_memory_desc_equal(&cv->in_md, &cv->user_in_md)) {
    dnnl_primitive_desc_t rpd;
    if ((s = dnnl_reorder_primitive_desc_create(&rpd, &cv->user_in_md, engine, &cv->in_md, engine, NULL))) return s;
    s = dnnl_primitive_create(&cv->in_reorder, rpd);
    dnnl_primitive_desc_destroy(rpd);
    if (s != dnnl_success) return s;
  }
  if (!dnnl_memory_desc_equal(&cv->out_md, &cv->user_out_md)) {
    dnnl_primitive_desc_t rpd;
    if ((s = dnnl_reorder_primitive_desc_create(&rpd, &cv->out_md, engine, &cv->user_out_md, engine, NULL))) return s;
    s = dnnl_primitive_create(&cv->out_reorder, rpd);
    dnnl_primitive_desc_destroy(rpd);
  }
  return s;
}

// An inner product (a dense layer, y = x W^T + b) in the same struct: in/out are [m, k] and
// [m, n] (forward) or [m, n] and [m, k] (backward-data), row-major; W is [n, k] ("oi"), or
// stored [k, n] ("io") when weights_io is set.
static inline dnnl_status_t glimpse_ip_create(
    glimpse_conv *cv, dnnl_engine_t engine, int64_t m, int64_t k, int64_t n, int backward_data,
    int has_bias, int weights_io) {
  dnnl_status_t s;
  dnnl_dims_t src_dims = {m, k}, wei_dims = {n, k}, bias_dims = {n}, dst_dims = {m, n};
  dnnl_memory_desc_t src, dst, wei_any;
  *cv = (glimpse_conv){0};
  cv->backward_data = backward_data;
  dnnl_memory_desc_init_by_tag(&src, 2, src_dims, dnnl_f32, dnnl_nc);
  dnnl_memory_desc_init_by_tag(&dst, 2, dst_dims, dnnl_f32, dnnl_nc);
  dnnl_memory_desc_init_by_tag(&cv->user_weights_md, 2, wei_dims, dnnl_f32, weights_io ? dnnl_io : dnnl_oi);
  dnnl_memory_desc_init_by_tag(&cv->bias_md, 1, bias_dims, dnnl_f32, dnnl_x);
  dnnl_memory_desc_init_by_tag(&wei_any, 2, wei_dims, dnnl_f32, dnnl_format_tag_any);
  dnnl_primitive_attr_t attr;
  if ((s = dnnl_primitive_attr_create(&attr)) != dnnl_success) return s;
  dnnl_primitive_attr_set_scratchpad_mode(attr, dnnl_scratchpad_mode_user);
  dnnl_inner_product_desc_t fwd_desc, bwd_desc;
  s = dnnl_inner_product_forward_desc_init(
      &fwd_desc, backward_data ? dnnl_forward_training : dnnl_forward_inference, &src, &wei_any,
      has_bias && !backward_data ? &cv->bias_md : NULL, &dst);
  if (s != dnnl_success) { dnnl_primitive_attr_destroy(attr); return s; }
  dnnl_primitive_desc_t fwd_pd = NULL, pd = NULL;
  s = dnnl_primitive_desc_create(&fwd_pd, &fwd_desc, backward_data ? NULL : attr, engine, NULL);
  if (s == dnnl_success && backward_data) {
    s = dnnl_inner_product_backward_data_desc_init(&bwd_desc, &src, &wei_any, &dst);
    if (s == dnnl_success) s = dnnl_primitive_desc_create(&pd, &bwd_desc, attr, engine, fwd_pd);
    dnnl_primitive_desc_destroy(fwd_pd);
  } else {
    pd = fwd_pd;
  }
  dnnl_primitive_attr_destroy(attr);
  if (s != dnnl_success) return s;
  // The plain row-major sides were fixed above: no data reorders, only the weights'.
  cv->in_md = cv->user_in_md = backward_data ? dst : src;
  cv->out_md = cv->user_out_md = backward_data ? src : dst;
  cv->weights_md = *dnnl_primitive_desc_query_md(pd, dnnl_query_weights_md, 0);
  cv->scratchpad_size = dnnl_memory_desc_get_size(dnnl_primitive_desc_query_md(pd, dnnl_query_scratchpad_md, 0));
  cv->weights_size = dnnl_memory_desc_get_size(&cv->weights_md);
  s = dnnl_primitive_create(&cv->primitive, pd);
  dnnl_primitive_desc_destroy(pd);
  return s;
}

// The implementation name (e.g. "jit:avx512_core"); query before destroying.
static inline const char *glimpse_conv_impl(const glimpse_conv *cv) {
  const_dnnl_primitive_desc_t pd;
  const char *impl = NULL;
  if (dnnl_primitive_get_primitive_desc(cv->primitive, &pd) == dnnl_success)
    dnnl_primitive_desc_query(pd, dnnl_query_impl_info_str, 0, &impl);
  return impl;
}

static inline void glimpse_conv_destroy(glimpse_conv *cv) {
  if (cv->primitive) dnnl_primitive_destroy(cv->primitive);
  if (cv->in_reorder) dnnl_primitive_destroy(cv->in_reorder);
  if (cv->out_reorder) dnnl_primitive_destroy(cv->out_reorder);
  *cv = (glimpse_conv){0};
}

// Runs a reorder primitive from `src` to `dst`.
static inline dnnl_status_t glimpse_run_reorder(
    dnnl_primitive_t reorder, dnnl_engine_t engine, dnnl_stream_t stream,
    const dnnl_memory_desc_t *src_md, void *src, const dnnl_memory_desc_t *dst_md, void *dst) {
  dnnl_memory_t a, b;
  dnnl_status_t s;
  if ((s = dnnl_memory_create(&a, src_md, engine, src))) return s;
  if ((s = dnnl_memory_create(&b, dst_md, engine, dst))) { dnnl_memory_destroy(a); return s; }
  dnnl_exec_arg_t args[2] = {{DNNL_ARG_FROM, a}, {DNNL_ARG_TO, b}};
  s = dnnl_primitive_execute(reorder, stream, 2, args);
  if (s == dnnl_success) s = dnnl_stream_wait(stream);
  dnnl_memory_destroy(a);
  dnnl_memory_destroy(b);
  return s;
}

// Converts goihw weights to the primitive's layout (once per weight tensor).
static inline dnnl_status_t glimpse_conv_reorder_weights(
    const glimpse_conv *cv, dnnl_engine_t engine, const float *user, void *dst) {
  dnnl_primitive_desc_t rpd;
  dnnl_primitive_t reorder;
  dnnl_stream_t stream;
  dnnl_status_t s;
  if ((s = dnnl_reorder_primitive_desc_create(&rpd, &cv->user_weights_md, engine, &cv->weights_md, engine, NULL))) return s;
  s = dnnl_primitive_create(&reorder, rpd);
  dnnl_primitive_desc_destroy(rpd);
  if (s) return s;
  if ((s = dnnl_stream_create(&stream, engine, dnnl_stream_default_flags))) { dnnl_primitive_destroy(reorder); return s; }
  s = glimpse_run_reorder(reorder, engine, stream, &cv->user_weights_md, (void *)user, &cv->weights_md, dst);
  dnnl_stream_destroy(stream);
  dnnl_primitive_destroy(reorder);
  return s;
}

// Runs the convolution: `in` and `out` are nchw; `weights` is in `weights_md` layout;
// `scratch` holds scratchpad_size bytes, then in_size and out_size bytes when reorders exist.
static inline dnnl_status_t glimpse_conv_run(
    const glimpse_conv *cv, dnnl_engine_t engine, const float *in, const void *weights,
    const float *bias, float *out, char *scratch) {
  dnnl_stream_t stream;
  dnnl_status_t s;
  if ((s = dnnl_stream_create(&stream, engine, dnnl_stream_default_flags))) return s;
  void *prim_in = (void *)in, *prim_out = out;
  char *extra = scratch + cv->scratchpad_size;
  if (cv->in_reorder) {
    prim_in = extra;
    extra += cv->in_size;
    s = glimpse_run_reorder(cv->in_reorder, engine, stream, &cv->user_in_md, (void *)in, &cv->in_md, prim_in);
  }
  if (cv->out_reorder) prim_out = extra;
  dnnl_memory_t mi = NULL, mw = NULL, mb = NULL, mo = NULL, ms = NULL;
  if (s == dnnl_success) s = dnnl_memory_create(&mi, &cv->in_md, engine, prim_in);
  if (s == dnnl_success) s = dnnl_memory_create(&mw, &cv->weights_md, engine, (void *)weights);
  if (s == dnnl_success) s = dnnl_memory_create(&mo, &cv->out_md, engine, prim_out);
  dnnl_memory_desc_t scratch_md;
  dnnl_dims_t scratch_dims = {(int64_t)cv->scratchpad_size};
  dnnl_memory_desc_init_by_tag(&scratch_md, 1, scratch_dims, dnnl_u8, dnnl_x);
  if (s == dnnl_success && cv->scratchpad_size > 0)
    s = dnnl_memory_create(&ms, &scratch_md, engine, scratch);
  if (s == dnnl_success && bias) s = dnnl_memory_create(&mb, &cv->bias_md, engine, (void *)bias);
  if (s == dnnl_success) {
    dnnl_exec_arg_t args[5];
    int nargs = 0;
    int is_bwd = cv->backward_data;
    args[nargs++] = (dnnl_exec_arg_t){is_bwd ? DNNL_ARG_DIFF_DST : DNNL_ARG_SRC, mi};
    args[nargs++] = (dnnl_exec_arg_t){DNNL_ARG_WEIGHTS, mw};
    args[nargs++] = (dnnl_exec_arg_t){is_bwd ? DNNL_ARG_DIFF_SRC : DNNL_ARG_DST, mo};
    if (ms) args[nargs++] = (dnnl_exec_arg_t){DNNL_ARG_SCRATCHPAD, ms};
    if (mb) args[nargs++] = (dnnl_exec_arg_t){DNNL_ARG_BIAS, mb};
    s = dnnl_primitive_execute(cv->primitive, stream, nargs, args);
    if (s == dnnl_success) s = dnnl_stream_wait(stream);
  }
  if (s == dnnl_success && cv->out_reorder)
    s = glimpse_run_reorder(cv->out_reorder, engine, stream, &cv->out_md, prim_out, &cv->user_out_md, out);
  if (mi) dnnl_memory_destroy(mi);
  if (mw) dnnl_memory_destroy(mw);
  if (mb) dnnl_memory_destroy(mb);
  if (mo) dnnl_memory_destroy(mo);
  if (ms) dnnl_memory_destroy(ms);
  dnnl_stream_destroy(stream);
  return s;
}

// Not oneDNN, but the engine's only other C need: glibc's malloc tuning (malloc.h is not in
// Swift's Glibc module). Keeps freed large blocks in the heap; see EngineMemory.
#include <malloc.h>
static inline void glimpse_retain_large_blocks(void) {
#ifdef M_MMAP_THRESHOLD
  mallopt(M_MMAP_THRESHOLD, 1 << 30);
  mallopt(M_TRIM_THRESHOLD, 1 << 30);
#endif
}
