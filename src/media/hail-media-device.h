/* hail-media-device.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/**
 * HailMediaDeviceKind:
 * @HAIL_MEDIA_DEVICE_KIND_INPUT: a microphone or other capture device
 * @HAIL_MEDIA_DEVICE_KIND_OUTPUT: speakers, headphones
 */
typedef enum {
  HAIL_MEDIA_DEVICE_KIND_INPUT,
  HAIL_MEDIA_DEVICE_KIND_OUTPUT,
} HailMediaDeviceKind;

#define HAIL_TYPE_MEDIA_DEVICE (hail_media_device_get_type ())

G_DECLARE_FINAL_TYPE (HailMediaDevice, hail_media_device, HAIL, MEDIA_DEVICE, GObject)

const char          *hail_media_device_get_name       (HailMediaDevice *self);
const char          *hail_media_device_get_id         (HailMediaDevice *self);
HailMediaDeviceKind  hail_media_device_get_kind       (HailMediaDevice *self);
gboolean             hail_media_device_get_is_default (HailMediaDevice *self);

G_END_DECLS
