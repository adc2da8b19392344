/* hail-dialpad.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define HAIL_TYPE_DIALPAD (hail_dialpad_get_type ())

G_DECLARE_FINAL_TYPE (HailDialpad, hail_dialpad, HAIL, DIALPAD, AdwBin)

GtkWidget  *hail_dialpad_new                    (void);
const char *hail_dialpad_get_text               (HailDialpad *self);
void        hail_dialpad_set_text               (HailDialpad *self,
                                                 const char  *text);
const char *hail_dialpad_get_domain             (HailDialpad *self);
void        hail_dialpad_set_domain             (HailDialpad *self,
                                                 const char  *domain);
const char *hail_dialpad_get_unavailable_reason (HailDialpad *self);
void        hail_dialpad_set_unavailable_reason (HailDialpad *self,
                                                 const char  *reason);
char       *hail_dialpad_dup_uri                (HailDialpad *self) G_GNUC_WARN_UNUSED_RESULT;
void        hail_dialpad_focus_entry            (HailDialpad *self);

G_END_DECLS
