/* hail-media-devices.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "hail-media-device.h"

G_BEGIN_DECLS

#define HAIL_TYPE_MEDIA_DEVICES (hail_media_devices_get_type ())

G_DECLARE_FINAL_TYPE (HailMediaDevices, hail_media_devices, HAIL, MEDIA_DEVICES, GObject)

HailMediaDevices *hail_media_devices_new         (void) G_GNUC_WARN_UNUSED_RESULT;
gboolean          hail_media_devices_start       (HailMediaDevices    *self,
                                                  GError             **error);
void              hail_media_devices_stop        (HailMediaDevices    *self);
GListModel       *hail_media_devices_get_inputs  (HailMediaDevices    *self);
GListModel       *hail_media_devices_get_outputs (HailMediaDevices    *self);
HailMediaDevice  *hail_media_devices_find        (HailMediaDevices    *self,
                                                  HailMediaDeviceKind  kind,
                                                  const char          *id);

G_END_DECLS
