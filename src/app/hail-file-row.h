/* hail-file-row.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "hail-engine.h"
#include "hail-store-message.h"
#include "hail-transfer-view.h"

G_BEGIN_DECLS

#define HAIL_TYPE_FILE_ROW (hail_file_row_get_type ())

G_DECLARE_FINAL_TYPE (HailFileRow, hail_file_row, HAIL, FILE_ROW, GtkListBoxRow)

/* A file in the conversation: its stored message, its live transfer, or
 * both. The transfer, when there is one, says how it goes. */
GtkWidget        *hail_file_row_new          (HailStoreMessage *message,
                                              HailTransferView *transfer);
HailStoreMessage *hail_file_row_get_message  (HailFileRow      *self);
HailTransferView *hail_file_row_get_transfer (HailFileRow      *self);
/* The live transfer arrived after the stored row (or a retry made a new one). */
void              hail_file_row_set_transfer (HailFileRow      *self,
                                              HailTransferView *transfer);
/* The engine that sends a file of an earlier run again (its Retry), or
 * NULL: without one such a row offers no Retry. */
void              hail_file_row_set_engine   (HailFileRow      *self,
                                              HailEngine       *engine);
/* The name of the other side, for words such as "Bob's app cannot take
 * this file"; NULL says "the other side". */
void              hail_file_row_set_peer_name (HailFileRow     *self,
                                               const char      *name);
/* What the state line says for @state: "Sent", "Failed: the peer is offline". */
char             *hail_file_row_dup_state_text (HailTransferViewState  state,
                                                gboolean               outgoing,
                                                const char            *reason)
                                                G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
