/* hail-device-row.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define HAIL_TYPE_DEVICE_ROW (hail_device_row_get_type ())

G_DECLARE_FINAL_TYPE (HailDeviceRow, hail_device_row, HAIL, DEVICE_ROW, AdwComboRow)

/* A choice of audio device: "Default" (the system's, stored as "") first,
 * then each HailMediaDevice of the "devices" model as it comes and goes.
 * The choice is the device id in the string key "key" of "settings". A
 * stored device that is not connected stays listed, so unplugging a
 * headset does not forget that the user chose it. */
void        hail_device_row_bind       (HailDeviceRow *self,
                                        GListModel    *devices,
                                        GSettings     *settings,
                                        const char    *key);
/* The id chosen ("" for the default), as stored. */
const char *hail_device_row_get_chosen (HailDeviceRow *self);

G_END_DECLS
