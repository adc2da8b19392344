/* hail-sip-cpim.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* Bounds on a message/cpim body (RFC 3862) read from the network; past
 * them parsing fails with HAIL_SIP_ERROR_TOO_LARGE. */
#define HAIL_SIP_CPIM_MAX_SIZE    65536
#define HAIL_SIP_CPIM_MAX_HEADERS 64
#define HAIL_SIP_CPIM_MAX_LINE    4096

/**
 * HailSipCpimDisposition:
 * @HAIL_SIP_CPIM_DISPOSITION_NONE: no notification asked for
 * @HAIL_SIP_CPIM_DISPOSITION_POSITIVE_DELIVERY: a delivery notification on success
 * @HAIL_SIP_CPIM_DISPOSITION_NEGATIVE_DELIVERY: a delivery notification on failure
 * @HAIL_SIP_CPIM_DISPOSITION_DISPLAY: a display notification
 *
 * The values of `imdn.Disposition-Notification` (RFC 5438 §6.3).
 */
typedef enum {
  HAIL_SIP_CPIM_DISPOSITION_NONE              = 0,
  HAIL_SIP_CPIM_DISPOSITION_POSITIVE_DELIVERY = 1 << 0,
  HAIL_SIP_CPIM_DISPOSITION_NEGATIVE_DELIVERY = 1 << 1,
  HAIL_SIP_CPIM_DISPOSITION_DISPLAY           = 1 << 2,
} HailSipCpimDisposition;

/**
 * HailSipCpim:
 * @from: the From header value as written, or %NULL
 * @to: the first To header value, or %NULL
 * @datetime: the DateTime value, or %NULL
 * @subject: the first Subject value, or %NULL
 * @imdn_message_id: `imdn.Message-ID` (RFC 5438 §6.3), or %NULL
 * @disposition: what `imdn.Disposition-Notification` asked for
 * @content_type: the encapsulated part's Content-Type, or %NULL
 * @content_disposition: the encapsulated part's Content-Disposition, or %NULL
 * @body: the encapsulated content, exact bytes
 *
 * A parsed message/cpim body (RFC 3862 §3): message headers, then the
 * encapsulated MIME part. Strings are NUL-terminated copies without NUL
 * bytes inside; the body may hold any bytes.
 */
typedef struct {
  char                   *from;
  char                   *to;
  char                   *datetime;
  char                   *subject;
  char                   *imdn_message_id;
  HailSipCpimDisposition  disposition;
  char                   *content_type;
  char                   *content_disposition;
  GBytes                 *body;
} HailSipCpim;

/* Parses @data. Fails with HAIL_SIP_ERROR_MALFORMED or _TOO_LARGE. */
HailSipCpim *hail_sip_cpim_parse (const char   *data,
                                  gsize         len,
                                  GError      **error) G_GNUC_WARN_UNUSED_RESULT;
void         hail_sip_cpim_free  (HailSipCpim  *self);

/* Writes a message/cpim body: From, To, DateTime (now, UTC), then the
 * IMDN namespace, Message-ID and Disposition-Notification when
 * @imdn_message_id is set, then the part with @content_type (and
 * @content_disposition when set) and @body. */
GBytes      *hail_sip_cpim_write (const char              *from,
                                  const char              *to,
                                  const char              *imdn_message_id,
                                  HailSipCpimDisposition   disposition,
                                  const char              *content_type,
                                  const char              *content_disposition,
                                  GBytes                  *body) G_GNUC_WARN_UNUSED_RESULT;

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HailSipCpim, hail_sip_cpim_free)

G_END_DECLS
