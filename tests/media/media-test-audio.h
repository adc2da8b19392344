/* media-test-audio.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Audio helpers for the media tests: a tiny WAV writer and a dominant
 * frequency finder (Goertzel scan), so checks need no Python or sox.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

void    media_test_write_wav     (const char   *path,
                                  guint         rate,
                                  guint         channels,
                                  guint         bits,
                                  double        frequency,
                                  double        seconds);
GBytes *media_test_wav_bytes     (guint         rate,
                                  guint         channels,
                                  guint         bits,
                                  guint         format,
                                  double        frequency,
                                  double        seconds);
double  media_test_dominant_hz   (const gint16 *samples,
                                  gsize         n,
                                  guint         rate);
double  media_test_rms           (const gint16 *samples,
                                  gsize         n);

G_END_DECLS
