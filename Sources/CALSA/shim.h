#include <alsa/asoundlib.h>

/* alsa-lib prints its own diagnostics to stderr; asr reports errors itself, one line each.
   The handler is variadic, which Swift cannot express, so it lives here. */
static void asr_alsa_silent_error_handler(const char *file, int line, const char *function, int err, const char *fmt, ...) {
    (void)file; (void)line; (void)function; (void)err; (void)fmt;
}

static inline void asr_alsa_silence_errors(void) {
    snd_lib_error_set_handler(asr_alsa_silent_error_handler);
}
