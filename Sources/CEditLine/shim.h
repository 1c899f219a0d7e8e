// libedit (Debian libedit-dev): line editing and history for the REPL.
//
// el_set, el_get and history are variadic, which Swift cannot call: each use the REPL needs
// gets a fixed-signature wrapper here.
#include <stdio.h>
#include <locale.h>
#include <histedit.h>

typedef char *(*glimpse_prompt_fn)(EditLine *);
typedef unsigned char (*glimpse_key_fn)(EditLine *, int);

static inline int glimpse_el_set_prompt(EditLine *el, glimpse_prompt_fn fn) {
  return el_set(el, EL_PROMPT, fn);
}

static inline int glimpse_el_set_editor(EditLine *el, const char *mode) {
  return el_set(el, EL_EDITOR, mode);
}

static inline int glimpse_el_set_terminal(EditLine *el, const char *type) {
  return el_set(el, EL_TERMINAL, type);
}

static inline int glimpse_el_set_clientdata(EditLine *el, void *data) {
  return el_set(el, EL_CLIENTDATA, data);
}

static inline void *glimpse_el_clientdata(EditLine *el) {
  void *data = NULL;
  el_get(el, EL_CLIENTDATA, &data);
  return data;
}

static inline int glimpse_el_add_function(
  EditLine *el, const char *name, const char *help, glimpse_key_fn fn
) {
  return el_set(el, EL_ADDFN, name, help, fn);
}

static inline int glimpse_el_bind(EditLine *el, const char *key, const char *function) {
  return el_set(el, EL_BIND, key, function, NULL);
}

/// Changes one flag of the tty in a libedit mode: `mode` "-d" while editing, "-x" between
/// lines; `flag` e.g. "-isig".
static inline int glimpse_el_setty(EditLine *el, const char *mode, const char *flag) {
  return el_set(el, EL_SETTY, mode, flag, NULL);
}

static inline int glimpse_el_set_history(EditLine *el, History *h) {
  return el_set(el, EL_HIST, history, h);
}

static inline int glimpse_history_set_size(History *h, int size) {
  HistEvent event;
  return history(h, &event, H_SETSIZE, size);
}

static inline int glimpse_history_set_unique(History *h, int unique) {
  HistEvent event;
  return history(h, &event, H_SETUNIQUE, unique);
}

static inline int glimpse_history_enter(History *h, const char *line) {
  HistEvent event;
  return history(h, &event, H_ENTER, line);
}

static inline int glimpse_history_load(History *h, const char *path) {
  HistEvent event;
  return history(h, &event, H_LOAD, path);
}

static inline int glimpse_history_save(History *h, const char *path) {
  HistEvent event;
  return history(h, &event, H_SAVE, path);
}
