/* hail-core-transfer.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "hail-chat-transfer.h"
#include "hail-transfer-view.h"

G_BEGIN_DECLS

#define HAIL_TYPE_CORE_TRANSFER (hail_core_transfer_get_type ())

G_DECLARE_FINAL_TYPE (HailCoreTransfer, hail_core_transfer, HAIL, CORE_TRANSFER, GObject)

/* A core HailChatTransfer as the chat window's HailTransferView. */
HailCoreTransfer *hail_core_transfer_new (HailChatTransfer *transfer) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
