/* hail-sip-message-builder.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "hail-sip-message.h"
#include "hail-sip-uri.h"

G_BEGIN_DECLS

/**
 * HailSipMessageBuilder:
 *
 * The writer: collects a start line, headers in order and a body, then
 * produces bytes with a computed Content-Length, or a #HailSipMessage parsed
 * back from them. The first invalid input (a line break in a value, a bad
 * header name) is remembered and reported by the finishing call, so a chain
 * of additions needs one error check.
 */
typedef struct _HailSipMessageBuilder HailSipMessageBuilder;

HailSipMessageBuilder *
hail_sip_message_builder_new_request     (const char            *method,
                                          const HailSipUri      *request_uri)
  G_GNUC_WARN_UNUSED_RESULT;
HailSipMessageBuilder *
hail_sip_message_builder_new_response    (guint                  status,
                                          const char            *reason)
  G_GNUC_WARN_UNUSED_RESULT;
HailSipMessageBuilder *
hail_sip_message_builder_new_reply       (const HailSipMessage  *request,
                                          guint                  status,
                                          const char            *reason,
                                          const char            *to_tag)
  G_GNUC_WARN_UNUSED_RESULT;
HailSipMessageBuilder *
hail_sip_message_builder_new_copy        (const HailSipMessage  *message)
  G_GNUC_WARN_UNUSED_RESULT;
HailSipMessageBuilder *
hail_sip_message_builder_new_error_reply (GBytes                *bytes,
                                          const GError          *parse_error,
                                          const char            *to_tag,
                                          GError               **error)
  G_GNUC_WARN_UNUSED_RESULT;
void  hail_sip_message_builder_free           (HailSipMessageBuilder *self);

void  hail_sip_message_builder_add_header     (HailSipMessageBuilder *self,
                                               const char            *name,
                                               const char            *value);
void  hail_sip_message_builder_add_header_len (HailSipMessageBuilder *self,
                                               const char            *name,
                                               const char            *value,
                                               gsize                  len);
void  hail_sip_message_builder_set_body       (HailSipMessageBuilder *self,
                                               const char            *content_type,
                                               GBytes                *body);
GBytes *
hail_sip_message_builder_to_bytes        (HailSipMessageBuilder *self,
                                          GError               **error) G_GNUC_WARN_UNUSED_RESULT;
HailSipMessage *
hail_sip_message_builder_finish          (HailSipMessageBuilder *self,
                                          GError               **error) G_GNUC_WARN_UNUSED_RESULT;

const char *hail_sip_status_get_reason_phrase (guint status);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HailSipMessageBuilder, hail_sip_message_builder_free)

G_END_DECLS
