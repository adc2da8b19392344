/* hail-media-sink.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "hail-media-device.h"

G_BEGIN_DECLS

/**
 * HailMediaSinkKind:
 * @HAIL_MEDIA_SINK_KIND_DEVICE: a playback device
 * @HAIL_MEDIA_SINK_KIND_RECORDER: a 16-bit PCM mono WAV file at the decoded
 *   rate of the codec (8000 Hz for PCMU/PCMA, 16000 for G.722, 48000 for Opus)
 * @HAIL_MEDIA_SINK_KIND_DISCARD: nowhere
 */
typedef enum {
  HAIL_MEDIA_SINK_KIND_DEVICE,
  HAIL_MEDIA_SINK_KIND_RECORDER,
  HAIL_MEDIA_SINK_KIND_DISCARD,
} HailMediaSinkKind;

#define HAIL_TYPE_MEDIA_SINK (hail_media_sink_get_type ())

/* Where a session plays what it receives: an immutable, refcounted value. */
typedef struct _HailMediaSink HailMediaSink;

GType              hail_media_sink_get_type     (void) G_GNUC_CONST;
HailMediaSink     *hail_media_sink_new_device   (HailMediaDevice *device)
                                                 G_GNUC_WARN_UNUSED_RESULT;
HailMediaSink     *hail_media_sink_new_recorder (const char      *path)
                                                 G_GNUC_WARN_UNUSED_RESULT;
HailMediaSink     *hail_media_sink_new_discard  (void) G_GNUC_WARN_UNUSED_RESULT;
HailMediaSink     *hail_media_sink_ref          (HailMediaSink   *self);
void               hail_media_sink_unref        (HailMediaSink   *self);
HailMediaSinkKind  hail_media_sink_get_kind     (HailMediaSink   *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HailMediaSink, hail_media_sink_unref)

G_END_DECLS
