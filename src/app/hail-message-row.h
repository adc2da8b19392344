/* hail-message-row.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "hail-store-message.h"

G_BEGIN_DECLS

#define HAIL_TYPE_MESSAGE_ROW (hail_message_row_get_type ())

G_DECLARE_FINAL_TYPE (HailMessageRow, hail_message_row, HAIL, MESSAGE_ROW, GtkListBoxRow)

GtkWidget        *hail_message_row_new         (HailStoreMessage *message);
HailStoreMessage *hail_message_row_get_message (HailMessageRow   *self);
/* Pango markup for @body: the text escaped, web and SIP links as <a href>. */
char             *hail_message_row_markup_body (const char       *body)
                                                G_GNUC_WARN_UNUSED_RESULT;
/* The delivery state in words, with the reason when sending failed. */
char             *hail_message_row_dup_state_text (HailStoreMessage *message)
                                                   G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
