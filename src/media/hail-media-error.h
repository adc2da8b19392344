/* hail-media-error.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define HAIL_MEDIA_ERROR (hail_media_error_quark ())

/**
 * HailMediaError:
 * @HAIL_MEDIA_ERROR_INVALID: a stream description, source or sink is not usable
 * @HAIL_MEDIA_ERROR_MISSING_ELEMENT: a GStreamer plugin Hail needs is not installed
 * @HAIL_MEDIA_ERROR_SOCKET: the local RTP/RTCP ports could not be allocated
 * @HAIL_MEDIA_ERROR_FILE: an audio file could not be read or is not a PCM WAV
 * @HAIL_MEDIA_ERROR_DEVICE: an audio device could not be opened
 * @HAIL_MEDIA_ERROR_PIPELINE: the running audio pipeline failed
 * @HAIL_MEDIA_ERROR_STATE: the operation does not fit the session's state
 *
 * Failures of the media layer.
 */
typedef enum {
  HAIL_MEDIA_ERROR_INVALID,
  HAIL_MEDIA_ERROR_MISSING_ELEMENT,
  HAIL_MEDIA_ERROR_SOCKET,
  HAIL_MEDIA_ERROR_FILE,
  HAIL_MEDIA_ERROR_DEVICE,
  HAIL_MEDIA_ERROR_PIPELINE,
  HAIL_MEDIA_ERROR_STATE,
} HailMediaError;

GQuark hail_media_error_quark (void);

G_END_DECLS
