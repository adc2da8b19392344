/* hail-media-source.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "hail-media-device.h"

G_BEGIN_DECLS

/**
 * HailMediaSourceKind:
 * @HAIL_MEDIA_SOURCE_KIND_DEVICE: a capture device, with echo cancellation
 *   and noise suppression
 * @HAIL_MEDIA_SOURCE_KIND_FILE: a PCM WAV file, resampled and mixed down
 * @HAIL_MEDIA_SOURCE_KIND_SILENCE: digital silence (RTP keeps flowing)
 * @HAIL_MEDIA_SOURCE_KIND_TONE: a sine wave
 */
typedef enum {
  HAIL_MEDIA_SOURCE_KIND_DEVICE,
  HAIL_MEDIA_SOURCE_KIND_FILE,
  HAIL_MEDIA_SOURCE_KIND_SILENCE,
  HAIL_MEDIA_SOURCE_KIND_TONE,
} HailMediaSourceKind;

#define HAIL_TYPE_MEDIA_SOURCE (hail_media_source_get_type ())

/* What a session sends: an immutable, refcounted description. */
typedef struct _HailMediaSource HailMediaSource;

GType                hail_media_source_get_type       (void) G_GNUC_CONST;
HailMediaSource     *hail_media_source_new_device     (HailMediaDevice *device)
                                                       G_GNUC_WARN_UNUSED_RESULT;
HailMediaSource     *hail_media_source_new_device_full (HailMediaDevice *device,
                                                        gboolean         echo_cancellation)
                                                       G_GNUC_WARN_UNUSED_RESULT;
HailMediaSource     *hail_media_source_new_file       (const char      *path,
                                                       gboolean         loop)
                                                       G_GNUC_WARN_UNUSED_RESULT;
HailMediaSource     *hail_media_source_new_silence    (void) G_GNUC_WARN_UNUSED_RESULT;
HailMediaSource     *hail_media_source_new_tone       (double           frequency)
                                                       G_GNUC_WARN_UNUSED_RESULT;
HailMediaSource     *hail_media_source_ref            (HailMediaSource *self);
void                 hail_media_source_unref          (HailMediaSource *self);
HailMediaSourceKind  hail_media_source_get_kind       (HailMediaSource *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HailMediaSource, hail_media_source_unref)

G_END_DECLS
