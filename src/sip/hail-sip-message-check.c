/* hail-sip-message-check.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The checks a UAS makes before handing a parsed request up (RFC 3261 §8.2,
 * RFC 4475 §3.3): they decide the error response, not whether the bytes are
 * a message.
 */
#include "config.h"

#include "hail-sip-message.h"

#include "hail-sip-private.h"

#include <string.h>

static const char * const default_methods[] = {
  "INVITE", "ACK", "BYE", "CANCEL", "OPTIONS", "REGISTER", "MESSAGE", "INFO", "PRACK", "UPDATE",
  "SUBSCRIBE", "NOTIFY", "REFER", NULL
};

static const char * const default_content_types[] = {
  "application/sdp", "text/plain", NULL
};

static gboolean
status_error (GError    **error,
              guint       status,
              const char *format,
              ...) G_GNUC_PRINTF (3, 4);

static gboolean
status_error (GError    **error,
              guint       status,
              const char *format,
              ...)
{
  va_list args;

  va_start (args, format);
  if (error != NULL)
    *error = g_error_new_valist (HAIL_SIP_STATUS_ERROR, (gint) status, format, args);
  va_end (args);
  return FALSE;
}

static gboolean
span_in_list (HailSipSpan         span,
              const char * const *list,
              gboolean            ignore_case)
{
  for (; list != NULL && *list != NULL; list++)
    {
      if (ignore_case ? hail_sip_span_equal_ascii_case (span, *list)
          : hail_sip_span_equal_str (span, *list))
        return TRUE;
    }
  return FALSE;
}

/* Whether a media type matches one of "type/subtype" (no wildcards there). */
static gboolean
type_in_list (const HailSipContentType *ctype,
              const char * const       *list)
{
  for (; *list != NULL; list++)
    {
      const char *slash = strchr (*list, '/');
      g_autofree char *type = NULL;

      if (slash == NULL)
        continue;
      type = g_strndup (*list, (gsize) (slash - *list));
      if (hail_sip_content_type_is (ctype, type, slash + 1))
        return TRUE;
    }
  return FALSE;
}

static const char *
header_name (HailSipHeaderId id)
{
  return hail_sip_header_get_name (id);
}

/* RFC 3261 §8.1.1: a request carries To, From, CSeq, Call-ID and Via; Max-
 * Forwards is not demanded, for RFC 2543 peers (RFC 4475 inv2543). Single-
 * valued headers must not repeat (multi01). */
static gboolean
check_headers (const HailSipMessage  *self,
               GError               **error)
{
  static const struct { guint flag; HailSipHeaderId id; } mandatory[] = {
    { HAIL_SIP_HAVE_VIA, HAIL_SIP_HEADER_VIA },
    { HAIL_SIP_HAVE_FROM, HAIL_SIP_HEADER_FROM },
    { HAIL_SIP_HAVE_TO, HAIL_SIP_HEADER_TO },
    { HAIL_SIP_HAVE_CALL_ID, HAIL_SIP_HEADER_CALL_ID },
    { HAIL_SIP_HAVE_CSEQ, HAIL_SIP_HEADER_CSEQ },
  };
  guint8 seen[HAIL_SIP_HEADER_N_IDS] = { 0, };

  for (gsize i = 0; i < G_N_ELEMENTS (mandatory); i++)
    if (!(self->have & mandatory[i].flag))
      return status_error (error, 400, "Missing %s header", header_name (mandatory[i].id));
  for (guint i = 0; i < self->n_headers; i++)
    {
      HailSipHeaderId id = self->headers[i].id;

      if (hail_sip_header_is_single (id) && seen[id]++ > 0)
        return status_error (error, 400, "Duplicate %s header", header_name (id));
    }
  return TRUE;
}

/* RFC 3261 §8.2.2.3: every Require option must be supported; ACK and CANCEL
 * are exempt. On failure *unsupported lists the unknown options for the
 * Unsupported header of the 420. */
static gboolean
check_require (const HailSipMessage       *self,
               const HailSipRequestPolicy *policy,
               char                      **unsupported,
               GError                    **error)
{
  HailSipHeaderIter iter;
  HailSipSpan value;
  GString *missing = NULL;

  if (hail_sip_span_equal_str (self->method, "ACK")
      || hail_sip_span_equal_str (self->method, "CANCEL"))
    return TRUE;
  hail_sip_message_iter_init (self, &iter, "Require");
  while (hail_sip_header_iter_next (&iter, &value))
    {
      if (span_in_list (value, policy->extensions, TRUE))
        continue;
      if (missing == NULL)
        missing = g_string_new (NULL);
      else
        g_string_append (missing, ", ");
      g_string_append_len (missing, value.ptr, (gssize) value.len);
    }
  if (missing == NULL)
    return TRUE;
  if (unsupported != NULL)
    *unsupported = g_string_free (missing, FALSE);
  else
    g_string_free (missing, TRUE);
  return status_error (error, 420, "Bad Extension");
}

/* RFC 3261 §8.2.3: a body we cannot read is 415; an INVITE whose Accept
 * rules out SDP cannot be answered with a session description: 406 (RFC
 * 4475 sdp01). */
static gboolean
check_body (const HailSipMessage       *self,
            const HailSipRequestPolicy *policy,
            GError                    **error)
{
  const char * const *types = policy->content_types != NULL ? policy->content_types
                              : default_content_types;
  HailSipContentType ctype;
  HailSipHeaderIter iter;
  HailSipSpan value;
  gboolean any = FALSE, sdp = FALSE;

  if (self->body.len > 0)
    {
      if (!hail_sip_message_get_content_type (self, &ctype))
        return status_error (error, 400, "Body without Content-Type");
      if (!type_in_list (&ctype, types))
        return status_error (error, 415, "Unsupported Media Type");
    }
  if (!hail_sip_span_equal_str (self->method, "INVITE")
      || !hail_sip_message_get_header (self, "Accept", NULL))
    return TRUE;
  hail_sip_message_iter_init (self, &iter, "Accept");
  while (hail_sip_header_iter_next (&iter, &value))
    {
      any = TRUE;
      if (hail_sip_content_type_parse (&ctype, value.ptr, value.len, NULL)
          && hail_sip_content_type_is (&ctype, "application", "sdp"))
        sdp = TRUE;
    }
  if (any && !sdp)
    return status_error (error, 406, "Not Acceptable");
  return TRUE;
}

/**
 * hail_sip_message_check_request:
 * @self: a parsed request
 * @policy: (nullable): what the UAS accepts, or %NULL for the defaults
 * @unsupported: (out) (optional) (transfer full): for a 420, the value of
 *   the Unsupported header to send
 * @error: return location for a #GError in %HAIL_SIP_STATUS_ERROR: code is
 *   the status to answer with, message the reason phrase
 *
 * Makes the checks of RFC 3261 §8.2 in order: mandatory and duplicated
 * headers (400), Request-URI scheme (416), method (501), CSeq method (400),
 * Require (420), body type (415, or 400 without Content-Type), Accept of an
 * INVITE (406).
 *
 * Returns: %TRUE when the request may be handed up
 */
gboolean
hail_sip_message_check_request (const HailSipMessage       *self,
                                const HailSipRequestPolicy *policy,
                                char                      **unsupported,
                                GError                    **error)
{
  static const HailSipRequestPolicy defaults = { NULL, NULL, NULL };

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (self->is_request, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (unsupported != NULL)
    *unsupported = NULL;
  if (policy == NULL)
    policy = &defaults;

  if (!check_headers (self, error))
    return FALSE;
  if (self->request_uri_view.scheme == HAIL_SIP_URI_SCHEME_OTHER)
    return status_error (error, 416, "Unsupported URI Scheme");
  if (!span_in_list (self->method, policy->methods != NULL ? policy->methods : default_methods,
                     FALSE))
    return status_error (error, 501, "Not Implemented");
  if (!hail_sip_span_equal (self->method, self->cseq.method))
    return status_error (error, 400, "CSeq method does not match the request method");
  if (!check_require (self, policy, unsupported, error))
    return FALSE;
  return check_body (self, policy, error);
}
