/* hail-application.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define HAIL_TYPE_APPLICATION (hail_application_get_type ())

G_DECLARE_FINAL_TYPE (HailApplication, hail_application, HAIL, APPLICATION, AdwApplication)

HailApplication *hail_application_new (void) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
