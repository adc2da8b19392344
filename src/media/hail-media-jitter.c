/* hail-media-jitter.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The rules of the adaptive playout delay. rtpjitterbuffer holds each
 * packet until its arrival time plus the latency; a packet that comes
 * later is counted late and dropped, a gap in what we play. So:
 *
 * - after a check that saw late packets, the delay rises at once by half
 *   (at least 20 ms), or to three times the average jitter plus 40 ms when
 *   that is more, capped at HAIL_MEDIA_JITTER_MAX_MS. Rising in a few large
 *   steps costs one short pause each; creeping up costs a gap at every
 *   late packet on the way. The check right after a rise does not rise
 *   again: rtpjitterbuffer keeps the deadlines it set before the change,
 *   so a packet already waited for then may still come late once
 *   (measured: a second rise, to 300 ms, for one such packet).
 * - after steady_needed checks without a late packet, and while the jitter
 *   is low enough for the lower delay, it comes down by
 *   HAIL_MEDIA_JITTER_STEP_DOWN_MS per check (a 20 ms skip each), towards
 *   HAIL_MEDIA_JITTER_MIN_MS. When packets come late again after it came
 *   down, the jitter is periodic (Wi-Fi scans, a loaded peer): the steady
 *   period doubles, up to 8 times, so that the delay does not swing down
 *   and up again at every period, a gap each time. Reaching the floor
 *   clears that.
 */
#include "config.h"

#include "hail-media-jitter.h"

/* The steady period grows at most 2^MAX_BACKOFF times. */
#define MAX_BACKOFF 3
/* Room above three times the jitter for scheduling and decoding delays. */
#define MARGIN_MS 40
/* The least a rise adds. */
#define MIN_STEP_UP_MS 20
/* Latencies are kept to whole multiples of this (one packet at 20 ms). */
#define GRAIN_MS 10

static guint
round_up (guint ms)
{
  return (ms + GRAIN_MS - 1) / GRAIN_MS * GRAIN_MS;
}

/* @steady_ms: how long without late packets before the delay comes down;
 * 0 for HAIL_MEDIA_JITTER_STEADY_MS. */
void
_hail_media_jitter_init (HailMediaJitter *self,
                         guint            steady_ms)
{
  if (steady_ms == 0)
    steady_ms = HAIL_MEDIA_JITTER_STEADY_MS;
  self->latency_ms = HAIL_MEDIA_JITTER_MIN_MS;
  self->backoff = 0;
  self->lowered = FALSE;
  self->steady_needed = MAX (1, steady_ms / HAIL_MEDIA_JITTER_CHECK_MS);
  _hail_media_jitter_reset (self);
}

/* A new pipeline: its jitter buffers count from zero. The delay is kept,
 * since the network has not changed. */
void
_hail_media_jitter_reset (HailMediaJitter *self)
{
  self->steady_checks = 0;
  self->late = 0;
  self->rose = FALSE;
}

/* Counters that went down belong to jitter buffers made since the last
 * check (a new SSRC): count them from zero. */
static guint64
delta (guint64 now,
       guint64 before)
{
  return now >= before ? now - before : now;
}

/* One periodic check; returns whether latency_ms changed. */
gboolean
_hail_media_jitter_update (HailMediaJitter            *self,
                           const HailMediaJitterStats *stats)
{
  guint64 late = delta (stats->late, self->late);
  guint wanted = MIN ((guint64) stats->jitter_ms, HAIL_MEDIA_JITTER_MAX_MS) * 3 + MARGIN_MS;
  guint old = self->latency_ms;

  self->late = stats->late;
  if (late > 0 && self->rose)
    {
      self->rose = FALSE;
      self->steady_checks = 0;
    }
  else if (late > 0)
    {
      guint raised = old + MAX (old / 2, MIN_STEP_UP_MS);

      if (self->lowered)
        self->backoff = MIN (self->backoff + 1, MAX_BACKOFF);
      self->lowered = FALSE;
      self->steady_checks = 0;
      self->latency_ms = MIN (round_up (MAX (raised, wanted)), HAIL_MEDIA_JITTER_MAX_MS);
      self->rose = self->latency_ms != old;
    }
  else if (self->steady_checks < self->steady_needed << self->backoff)
    {
      self->rose = FALSE;
      self->steady_checks++;
    }
  else if (old > HAIL_MEDIA_JITTER_MIN_MS && wanted < old)
    {
      guint lowered = old - MIN (old - HAIL_MEDIA_JITTER_MIN_MS, HAIL_MEDIA_JITTER_STEP_DOWN_MS);

      self->latency_ms = MAX (lowered, MIN (round_up (wanted), old));
      self->lowered = TRUE;
      self->rose = FALSE;
      if (self->latency_ms == HAIL_MEDIA_JITTER_MIN_MS)
        self->backoff = 0;
    }
  return self->latency_ms != old;
}
