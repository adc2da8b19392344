/* hail-msrp-builder.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "hail-msrp-message.h"

G_BEGIN_DECLS

/* Writes one MSRP request or response in the canonical form the parser
 * accepts (RFC 4975 §7.1): start line, To-Path and From-Path first, other
 * headers in the order added, then the body with Content-Type last, then
 * the end-line. Callers pass values they made; network text is checked by
 * the parser, not here. */
typedef struct _HailMsrpBuilder HailMsrpBuilder;

/* @transaction_id: RFC 4975 ident; NULL draws a fresh random one. */
HailMsrpBuilder *hail_msrp_builder_new_request   (const char              *transaction_id,
                                                  const char              *method);
HailMsrpBuilder *hail_msrp_builder_new_response  (const char              *transaction_id,
                                                  guint                    code,
                                                  const char              *comment);
void             hail_msrp_builder_free          (HailMsrpBuilder         *self);

/* The transaction id in use. */
const char      *hail_msrp_builder_get_transaction_id (HailMsrpBuilder   *self);

/* To-Path and From-Path from HailMsrpUri* arrays, leftmost first. Both are
 * required; they land first whatever the order of the calls. */
void             hail_msrp_builder_set_to_path   (HailMsrpBuilder         *self,
                                                  GPtrArray               *uris);
void             hail_msrp_builder_set_from_path (HailMsrpBuilder         *self,
                                                  GPtrArray               *uris);
void             hail_msrp_builder_add_header    (HailMsrpBuilder         *self,
                                                  const char              *name,
                                                  const char              *value);
void             hail_msrp_builder_add_byte_range (HailMsrpBuilder        *self,
                                                  const HailMsrpByteRange *range);
void             hail_msrp_builder_add_status    (HailMsrpBuilder         *self,
                                                  guint                    code,
                                                  const char              *comment);

/* Finishes the message, with a body when @content_type is not NULL, and
 * frees the builder. A request body that holds its own end-line (RFC 4975
 * §7.1) makes the builder draw a new transaction id (when it drew the first
 * one) or fail with HAIL_SIP_ERROR_MALFORMED. */
GBytes          *hail_msrp_builder_finish        (HailMsrpBuilder         *self,
                                                  const char              *content_type,
                                                  const guint8            *body,
                                                  gsize                    body_len,
                                                  HailMsrpContinuation     continuation,
                                                  GError                 **error)
                                                  G_GNUC_WARN_UNUSED_RESULT;

/* Fresh random transaction id (RFC 4975 §7.1: at least 64 bits of
 * randomness; this has 96), or Message-ID. */
char            *hail_msrp_new_ident             (void) G_GNUC_WARN_UNUSED_RESULT;

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HailMsrpBuilder, hail_msrp_builder_free)

G_END_DECLS
