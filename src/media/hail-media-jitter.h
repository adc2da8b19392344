/* hail-media-jitter.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The adaptive playout delay of a media session's jitter buffers: fed the
 * jitter buffers' statistics on a periodic check, it says which latency
 * they should have. Pure arithmetic, no GStreamer, so that its rules can be
 * tested step by step. Only hail-media-session*.c and tests include this.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Where the playout delay starts and the floor it comes back to. */
#define HAIL_MEDIA_JITTER_MIN_MS 60
/* More delay than this hurts a conversation more than a gap does. */
#define HAIL_MEDIA_JITTER_MAX_MS 300
/* How often the session checks its jitter buffers. */
#define HAIL_MEDIA_JITTER_CHECK_MS 500
/* A stream this long without a late packet lets the delay come down. */
#define HAIL_MEDIA_JITTER_STEADY_MS 10000
/* The delay comes down by this much per check once steady. */
#define HAIL_MEDIA_JITTER_STEP_DOWN_MS 20

/* What the jitter buffers of one pipeline report, summed over streams. */
typedef struct {
  guint64 late;        /* packets that came after their playout time */
  guint64 lost;        /* packets given up on */
  guint   jitter_ms;   /* the largest average jitter (RFC 3550 A.8) */
} HailMediaJitterStats;

typedef struct {
  guint   latency_ms;
  guint   steady_checks;   /* consecutive checks without a late packet */
  guint   steady_needed;   /* checks before the delay may come down */
  guint   backoff;         /* steady_needed doubles per lowering that failed */
  gboolean lowered;        /* came down since the last rise */
  gboolean rose;           /* rose at the previous check */
  guint64 late;            /* the total at the previous check */
} HailMediaJitter;

void     _hail_media_jitter_init   (HailMediaJitter            *self,
                                    guint                       steady_ms);
void     _hail_media_jitter_reset  (HailMediaJitter            *self);
gboolean _hail_media_jitter_update (HailMediaJitter            *self,
                                    const HailMediaJitterStats *stats);

G_END_DECLS
