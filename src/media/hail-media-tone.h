/* hail-media-tone.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "hail-media-sink.h"

G_BEGIN_DECLS

/**
 * HailMediaToneKind:
 * @HAIL_MEDIA_TONE_KIND_RINGBACK: the caller's ring-back tone: 425 Hz, one
 *   second on, four off (the common European cadence, ETSI TR 101 041)
 * @HAIL_MEDIA_TONE_KIND_RING: the ring of an incoming call: a short
 *   rising melody, twice, then a pause
 */
typedef enum {
  HAIL_MEDIA_TONE_KIND_RINGBACK,
  HAIL_MEDIA_TONE_KIND_RING,
} HailMediaToneKind;

/* Tones are generated and played at this rate. */
#define HAIL_MEDIA_TONE_RATE 16000

#define HAIL_TYPE_MEDIA_TONE (hail_media_tone_get_type ())

G_DECLARE_FINAL_TYPE (HailMediaTone, hail_media_tone, HAIL, MEDIA_TONE, GObject)

HailMediaTone     *hail_media_tone_new         (HailMediaToneKind   kind,
                                                HailMediaSink      *sink)
                                                G_GNUC_WARN_UNUSED_RESULT;
gboolean           hail_media_tone_start       (HailMediaTone      *self,
                                                GError            **error);
void               hail_media_tone_stop        (HailMediaTone      *self);
gboolean           hail_media_tone_get_playing (HailMediaTone      *self);
HailMediaToneKind  hail_media_tone_get_kind    (HailMediaTone      *self);

G_END_DECLS
