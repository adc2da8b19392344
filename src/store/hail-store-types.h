/* hail-store-types.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * HailStoreDirection:
 * @HAIL_STORE_DIRECTION_IN: received from the remote party
 * @HAIL_STORE_DIRECTION_OUT: sent (or placed) by the user
 *
 * Which way a message went or a call was placed. Stored as 0 and 1.
 */
typedef enum {
  HAIL_STORE_DIRECTION_IN,
  HAIL_STORE_DIRECTION_OUT,
} HailStoreDirection;

/**
 * HailStoreMessageState:
 * @HAIL_STORE_MESSAGE_STATE_QUEUED: written, not yet handed to SIP
 * @HAIL_STORE_MESSAGE_STATE_SENDING: a MESSAGE transaction is in flight
 * @HAIL_STORE_MESSAGE_STATE_SENT: the peer (or its proxy) answered 2xx
 * @HAIL_STORE_MESSAGE_STATE_DELIVERED: an IMDN delivery notification came back
 * @HAIL_STORE_MESSAGE_STATE_DISPLAYED: an IMDN display notification came back
 * @HAIL_STORE_MESSAGE_STATE_FAILED: sending failed; status and reason say why
 *
 * The life of a message. Incoming messages are stored as DELIVERED.
 * The values are stored in the database: never renumber them.
 */
typedef enum {
  HAIL_STORE_MESSAGE_STATE_QUEUED,
  HAIL_STORE_MESSAGE_STATE_SENDING,
  HAIL_STORE_MESSAGE_STATE_SENT,
  HAIL_STORE_MESSAGE_STATE_DELIVERED,
  HAIL_STORE_MESSAGE_STATE_DISPLAYED,
  HAIL_STORE_MESSAGE_STATE_FAILED,
} HailStoreMessageState;

/**
 * HailStoreMessageMode:
 * @HAIL_STORE_MESSAGE_MODE_PAGER: a SIP MESSAGE request (RFC 3428)
 * @HAIL_STORE_MESSAGE_MODE_SESSION: an MSRP session (RFC 4975)
 *
 * How a message travelled. Stored as 0 and 1.
 */
typedef enum {
  HAIL_STORE_MESSAGE_MODE_PAGER,
  HAIL_STORE_MESSAGE_MODE_SESSION,
} HailStoreMessageMode;

/**
 * HailStoreAddressKind:
 * @HAIL_STORE_ADDRESS_KIND_SIP: a SIP URI (sip: or sips:)
 * @HAIL_STORE_ADDRESS_KIND_PHONE: a telephone number as written in the vCard
 *
 * What a contact address is. Stored as 0 and 1.
 */
typedef enum {
  HAIL_STORE_ADDRESS_KIND_SIP,
  HAIL_STORE_ADDRESS_KIND_PHONE,
} HailStoreAddressKind;

G_END_DECLS
