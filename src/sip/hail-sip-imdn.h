/* hail-sip-imdn.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define HAIL_SIP_IMDN_CONTENT_TYPE "message/imdn+xml"
#define HAIL_SIP_IMDN_MAX_SIZE     8192

/**
 * HailSipImdnKind:
 * @HAIL_SIP_IMDN_KIND_DELIVERY: a `delivery-notification`
 * @HAIL_SIP_IMDN_KIND_DISPLAY: a `display-notification`
 *
 * Which notification of RFC 5438 §7.2.1 a document carries.
 */
typedef enum {
  HAIL_SIP_IMDN_KIND_DELIVERY,
  HAIL_SIP_IMDN_KIND_DISPLAY,
} HailSipImdnKind;

/**
 * HailSipImdnStatus:
 * @HAIL_SIP_IMDN_STATUS_DELIVERED: `delivered`
 * @HAIL_SIP_IMDN_STATUS_DISPLAYED: `displayed`
 * @HAIL_SIP_IMDN_STATUS_FAILED: `failed` (delivery)
 * @HAIL_SIP_IMDN_STATUS_FORBIDDEN: `forbidden`
 * @HAIL_SIP_IMDN_STATUS_ERROR: `error`, or a status we do not know
 */
typedef enum {
  HAIL_SIP_IMDN_STATUS_DELIVERED,
  HAIL_SIP_IMDN_STATUS_DISPLAYED,
  HAIL_SIP_IMDN_STATUS_FAILED,
  HAIL_SIP_IMDN_STATUS_FORBIDDEN,
  HAIL_SIP_IMDN_STATUS_ERROR,
} HailSipImdnStatus;

/**
 * HailSipImdn:
 * @message_id: the `message-id` of the message notified about
 * @datetime: its `datetime`, or %NULL
 * @kind: delivery or display
 * @status: what happened
 *
 * An IMDN document (RFC 5438 §7).
 */
typedef struct {
  char              *message_id;
  char              *datetime;
  HailSipImdnKind    kind;
  HailSipImdnStatus  status;
} HailSipImdn;

HailSipImdn *hail_sip_imdn_parse (const char         *data,
                                  gsize               len,
                                  GError            **error) G_GNUC_WARN_UNUSED_RESULT;
void         hail_sip_imdn_free  (HailSipImdn        *self);
/* Writes a notification about @message_id (sent at @datetime, as its CPIM
 * DateTime said; NULL for now) for @recipient (a URI). */
GBytes      *hail_sip_imdn_write (const char         *message_id,
                                  const char         *datetime,
                                  const char         *recipient,
                                  HailSipImdnKind     kind,
                                  HailSipImdnStatus   status) G_GNUC_WARN_UNUSED_RESULT;
/* A fresh random Message-ID (RFC 5438 §6.3: unique, at least 32 bits of
 * randomness). */
char        *hail_sip_imdn_new_message_id (void) G_GNUC_WARN_UNUSED_RESULT;

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HailSipImdn, hail_sip_imdn_free)

G_END_DECLS
