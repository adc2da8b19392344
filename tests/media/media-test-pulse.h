/* media-test-pulse.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * PulseAudio helpers for the device tests and the speaker-switch bench:
 * null sinks loaded and unloaded with pactl, and a recorder of a sink's
 * monitor that stamps every 10 ms of audio with its arrival time.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The rate and chunk size MediaTestMonitor records at. */
#define MEDIA_TEST_MONITOR_RATE 16000
#define MEDIA_TEST_MONITOR_CHUNK_MS 10

/* Whether a PulseAudio server's socket is there (PULSE_SERVER, or the
 * runtime directory's pulse/native). */
gboolean  media_test_pulse_available   (void);

/* Loads a null sink called @name; returns the module index to unload, or
 * 0 when pactl cannot (no pactl, no server). */
guint     media_test_pulse_load_sink   (const char *name);
gboolean  media_test_pulse_unload      (guint       module);

typedef struct _MediaTestMonitor MediaTestMonitor;

/* Records @sink's monitor from now on; NULL (with @error set) when
 * GStreamer cannot open it. */
MediaTestMonitor *media_test_monitor_new        (const char        *sink,
                                                 GError           **error);
void              media_test_monitor_free       (MediaTestMonitor  *self);
/* The monotonic time (µs) at which the first chunk louder than @rms
 * arrived at or after @since, or -1 while none has. */
gint64            media_test_monitor_first_loud (MediaTestMonitor  *self,
                                                 gint64             since,
                                                 double             rms);
/* Iterates the default main context until a chunk louder than @rms has
 * arrived at or after @since, at most @timeout_ms; returns its arrival
 * (as media_test_monitor_first_loud() does) or -1. */
gint64            media_test_monitor_wait_loud  (MediaTestMonitor  *self,
                                                 gint64             since,
                                                 double             rms,
                                                 guint              timeout_ms);
/* Likewise until @count chunks have arrived at or after @since. */
gboolean          media_test_monitor_wait_count (MediaTestMonitor  *self,
                                                 gint64             since,
                                                 guint              count,
                                                 guint              timeout_ms);
/* Chunks that arrived at or after @since: their number, and (if not
 * NULL) how many of them are not louder than @rms. */
guint             media_test_monitor_count      (MediaTestMonitor  *self,
                                                 gint64             since,
                                                 double             rms,
                                                 guint             *quiet);
/* One character per chunk that arrived at or after @since: '#' when
 * louder than @rms, '.' when not; at most @max of them. */
char             *media_test_monitor_pattern    (MediaTestMonitor  *self,
                                                 gint64             since,
                                                 double             rms,
                                                 guint              max);
/* The samples of the chunks that arrived at or after @since, in order. */
GArray           *media_test_monitor_samples    (MediaTestMonitor  *self,
                                                 gint64             since);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MediaTestMonitor, media_test_monitor_free)

G_END_DECLS
