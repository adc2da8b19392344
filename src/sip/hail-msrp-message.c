/* hail-msrp-message.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The MSRP message parser and writer (RFC 4975 §7, §9). A frame ends at
 * "-------" + its own transaction id + a flag, never at the first run of
 * hyphens: bodies may hold any text, including other end-lines. The parser
 * accepts only the canonical form the grammar describes (single spaces,
 * CRLF line ends, To-Path then From-Path first, Content-Type last), so what
 * it accepts is written back byte for byte.
 */
#include "config.h"

#include "hail-msrp-message.h"

#include <string.h>

#include "hail-msrp-limits.h"
#include "hail-msrp-private.h"
#include "hail-sip-error.h"

typedef struct {
  HailSipSpan name;
  HailSipSpan value;
} Header;

struct _HailMsrpMessage
{
  /* Owned: every span below points into it. */
  GBytes               *bytes;
  GArray               *headers;     /* Header */
  GPtrArray            *to_path;     /* HailMsrpUri* */
  GPtrArray            *from_path;   /* HailMsrpUri* */
  GPtrArray            *use_path;    /* HailMsrpUri*, NULL when none */

  HailMsrpMessageKind   kind;
  HailSipSpan           tid;
  HailMsrpMethod        method;
  HailSipSpan           method_name;
  guint                 status_code;
  HailSipSpan           comment;
  HailSipSpan           message_id;
  guint                 expires;
  gboolean              has_expires;
  HailMsrpByteRange     range;
  gboolean              has_range;
  HailMsrpReport        success_report;
  HailMsrpReport        failure_report;
  HailMsrpStatus        status;
  gboolean              has_status;
  HailSipSpan           content_type;
  HailSipSpan           body;
  gboolean              has_body;
  HailMsrpContinuation  continuation;
};

G_DEFINE_BOXED_TYPE (HailMsrpMessage, hail_msrp_message, hail_msrp_message_ref,
                     hail_msrp_message_unref)

static gboolean G_GNUC_PRINTF (3, 4)
fail (GError     **error,
      int          code,
      const char  *format,
      ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error_literal (error, HAIL_SIP_ERROR, code, message);
  return FALSE;
}
static void
message_clear (HailMsrpMessage *self)
{
  g_clear_pointer (&self->bytes, g_bytes_unref);
  g_clear_pointer (&self->headers, g_array_unref);
  g_clear_pointer (&self->to_path, g_ptr_array_unref);
  g_clear_pointer (&self->from_path, g_ptr_array_unref);
  g_clear_pointer (&self->use_path, g_ptr_array_unref);
}

/* RFC 4975 §9 utf8text: HTAB, printable ASCII and UTF-8. */
static gboolean
is_utf8text (const char *p,
             gsize       len)
{
  for (gsize i = 0; i < len; i++)
    {
      guint8 c = (guint8) p[i];

      if ((c < 0x20 && c != '\t') || c == 0x7f)
        return FALSE;
    }
  return g_utf8_validate_len (p, len, NULL);
}

/* Parses 1 to 19 digits; FALSE beyond G_MAXINT64. */
static gboolean
parse_uint64 (const char *p,
              gsize       len,
              guint64    *value)
{
  guint64 v = 0;

  if (len == 0 || len > 19)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    {
      if (!g_ascii_isdigit (p[i]))
        return FALSE;
      v = v * 10 + (guint64) (p[i] - '0');
    }
  if (v > G_MAXINT64)
    return FALSE;
  *value = v;
  return TRUE;
}

static gboolean
parse_range_part (const char *p,
                  gsize       len,
                  gint64     *value)
{
  guint64 v;

  if (len == 1 && p[0] == '*')
    {
      *value = -1;
      return TRUE;
    }
  if (!parse_uint64 (p, len, &v))
    return FALSE;
  *value = (gint64) v;
  return TRUE;
}

static gboolean
parse_byte_range (HailSipSpan        value,
                  HailMsrpByteRange *range)
{
  const char *p = value.ptr;
  const char *end = p + value.len;
  const char *dash = memchr (p, '-', value.len);
  const char *slash;
  gint64 start;

  if (dash == NULL)
    return FALSE;
  slash = memchr (dash, '/', end - dash);
  if (slash == NULL)
    return FALSE;
  if (!parse_range_part (p, dash - p, &start) || start < 1 ||
      !parse_range_part (dash + 1, slash - dash - 1, &range->end) ||
      !parse_range_part (slash + 1, end - slash - 1, &range->total))
    return FALSE;
  range->start = (guint64) start;
  /* An empty chunk is start-(start - 1); nothing ends before that. */
  if (range->end >= 0 && (guint64) range->end + 1 < range->start)
    return FALSE;
  if (range->total >= 0 && range->end >= 0 && range->end > range->total)
    return FALSE;
  if (range->total >= 0 && range->start > (guint64) range->total + 1)
    return FALSE;
  return TRUE;
}

static gboolean
parse_report (HailSipSpan     value,
              gboolean        partial_ok,
              HailMsrpReport *report)
{
  if (hail_sip_span_equal_str (value, "yes"))
    *report = HAIL_MSRP_REPORT_YES;
  else if (hail_sip_span_equal_str (value, "no"))
    *report = HAIL_MSRP_REPORT_NO;
  else if (partial_ok && hail_sip_span_equal_str (value, "partial"))
    *report = HAIL_MSRP_REPORT_PARTIAL;
  else
    return FALSE;
  return TRUE;
}

static gboolean
parse_3digit (const char *p,
              guint      *value)
{
  if (!g_ascii_isdigit (p[0]) || !g_ascii_isdigit (p[1]) || !g_ascii_isdigit (p[2]))
    return FALSE;
  *value = (guint) ((p[0] - '0') * 100 + (p[1] - '0') * 10 + (p[2] - '0'));
  return TRUE;
}

static gboolean
parse_status (HailSipSpan     value,
              HailMsrpStatus *status)
{
  const char *p = value.ptr;

  if (value.len < 7 || p[3] != ' ' || !parse_3digit (p, &status->name_space) ||
      !parse_3digit (p + 4, &status->code))
    return FALSE;
  if (value.len == 7)
    {
      status->comment = HAIL_SIP_SPAN_NONE;
      return TRUE;
    }
  if (p[7] != ' ')
    return FALSE;
  status->comment = (HailSipSpan) { p + 8, value.len - 8 };
  return TRUE;
}

static GPtrArray *
parse_path (HailSipSpan   value,
            const char   *name,
            GError      **error)
{
  g_autoptr(GPtrArray) uris = g_ptr_array_new_with_free_func ((GDestroyNotify) hail_msrp_uri_unref);
  const char *p = value.ptr;
  const char *end = p + value.len;

  for (;;)
    {
      const char *sp = memchr (p, ' ', end - p);
      const char *uri_end = sp != NULL ? sp : end;
      g_autoptr(GError) local = NULL;
      HailMsrpUri *uri;

      if (uris->len == HAIL_MSRP_MAX_PATH_URIS)
        {
          fail (error, HAIL_SIP_ERROR_TOO_LARGE, "MSRP %s with more than %d URIs", name,
                HAIL_MSRP_MAX_PATH_URIS);
          return NULL;
        }
      uri = hail_msrp_uri_parse (p, uri_end - p, &local);
      if (uri == NULL)
        {
          g_propagate_prefixed_error (error, g_steal_pointer (&local), "MSRP %s: ", name);
          return NULL;
        }
      g_ptr_array_add (uris, uri);
      if (sp == NULL)
        break;
      p = sp + 1;
    }
  return g_steal_pointer (&uris);
}

static gboolean
name_is (HailSipSpan  name,
         const char  *what)
{
  return hail_sip_span_equal_ascii_case (name, what);
}

/* Checks one header of a known name and keeps its typed value. */
static gboolean
take_header (HailMsrpMessage  *self,
             guint             index,
             const Header     *h,
             GError          **error)
{
  gboolean twice = FALSE;

  if (name_is (h->name, "To-Path") || name_is (h->name, "From-Path"))
    {
      gboolean to = name_is (h->name, "To-Path");

      /* §7.1: To-Path comes first and From-Path second. */
      if (index != (to ? 0u : 1u))
        return fail (error, HAIL_SIP_ERROR_MALFORMED,
                     "MSRP To-Path and From-Path must be the first two header fields");
      if (to)
        self->to_path = parse_path (h->value, "To-Path", error);
      else
        self->from_path = parse_path (h->value, "From-Path", error);
      return (to ? self->to_path : self->from_path) != NULL;
    }
  else if (name_is (h->name, "Use-Path"))
    {
      if (self->use_path != NULL)
        return fail (error, HAIL_SIP_ERROR_MALFORMED, "Repeated MSRP Use-Path header");
      self->use_path = parse_path (h->value, "Use-Path", error);
      return self->use_path != NULL;
    }
  else if (name_is (h->name, "Expires"))
    {
      guint64 v;

      /* RFC 4976 §9: Expires = 1*DIGIT; a relay grants seconds, not years. */
      twice = self->has_expires;
      if (!parse_uint64 (h->value.ptr, h->value.len, &v) || v > HAIL_MSRP_MAX_EXPIRES)
        return fail (error, HAIL_SIP_ERROR_MALFORMED, "Invalid MSRP Expires \"%.*s\"",
                     (int) MIN (h->value.len, 64), h->value.ptr);
      self->expires = (guint) v;
      self->has_expires = TRUE;
    }
  else if (name_is (h->name, "Message-ID"))
    {
      twice = hail_sip_span_present (self->message_id);
      if (!_hail_msrp_is_ident (h->value.ptr, h->value.len))
        return fail (error, HAIL_SIP_ERROR_MALFORMED, "Invalid MSRP Message-ID");
      self->message_id = h->value;
    }
  else if (name_is (h->name, "Byte-Range"))
    {
      twice = self->has_range;
      if (!parse_byte_range (h->value, &self->range))
        return fail (error, HAIL_SIP_ERROR_MALFORMED, "Invalid MSRP Byte-Range \"%.*s\"",
                     (int) MIN (h->value.len, 64), h->value.ptr);
      self->has_range = TRUE;
    }
  else if (name_is (h->name, "Success-Report"))
    {
      twice = self->success_report != (HailMsrpReport) -1;
      if (!parse_report (h->value, FALSE, &self->success_report))
        return fail (error, HAIL_SIP_ERROR_MALFORMED, "Invalid MSRP Success-Report (yes or no)");
    }
  else if (name_is (h->name, "Failure-Report"))
    {
      twice = self->failure_report != (HailMsrpReport) -1;
      if (!parse_report (h->value, TRUE, &self->failure_report))
        return fail (error, HAIL_SIP_ERROR_MALFORMED,
                     "Invalid MSRP Failure-Report (yes, no or partial)");
    }
  else if (name_is (h->name, "Status"))
    {
      twice = self->has_status;
      if (!parse_status (h->value, &self->status))
        return fail (error, HAIL_SIP_ERROR_MALFORMED, "Invalid MSRP Status \"%.*s\"",
                     (int) MIN (h->value.len, 64), h->value.ptr);
      self->has_status = TRUE;
    }
  else if (name_is (h->name, "Content-Type"))
    {
      twice = hail_sip_span_present (self->content_type);
      if (h->value.len == 0 || memchr (h->value.ptr, '/', h->value.len) == NULL)
        return fail (error, HAIL_SIP_ERROR_MALFORMED, "Invalid MSRP Content-Type");
      self->content_type = h->value;
    }
  if (twice)
    return fail (error, HAIL_SIP_ERROR_MALFORMED, "Repeated MSRP %.*s header",
                 (int) h->name.len, h->name.ptr);
  return TRUE;
}

static gboolean
parse_start_line (HailMsrpMessage  *self,
                  const char       *p,
                  gsize             len,
                  gsize             tid_len,
                  GError          **error)
{
  const char *rest = p + 5 + tid_len + 1;
  gsize rest_len = len - (5 + tid_len + 1);

  self->tid = (HailSipSpan) { p + 5, tid_len };
  if (len < 5 + tid_len + 1 + 1)
    return fail (error, HAIL_SIP_ERROR_MALFORMED, "MSRP start line without a method or status");

  if (rest_len >= 3 && g_ascii_isdigit (rest[0]) && (rest_len == 3 || rest[3] == ' '))
    {
      self->kind = HAIL_MSRP_MESSAGE_KIND_RESPONSE;
      if (!parse_3digit (rest, &self->status_code) || self->status_code < 100)
        return fail (error, HAIL_SIP_ERROR_MALFORMED, "Invalid MSRP status code");
      if (rest_len > 3)
        {
          self->comment = (HailSipSpan) { rest + 4, rest_len - 4 };
          if (!is_utf8text (self->comment.ptr, self->comment.len))
            return fail (error, HAIL_SIP_ERROR_MALFORMED, "Invalid MSRP response comment");
        }
      return TRUE;
    }

  /* §9: method = mSEND / mREPORT / other-method; other-method = 1*UPALPHA. */
  self->kind = HAIL_MSRP_MESSAGE_KIND_REQUEST;
  for (gsize i = 0; i < rest_len; i++)
    if (!g_ascii_isupper (rest[i]))
      return fail (error, HAIL_SIP_ERROR_MALFORMED, "Invalid MSRP method");
  self->method_name = (HailSipSpan) { rest, rest_len };
  if (hail_sip_span_equal_str (self->method_name, "SEND"))
    self->method = HAIL_MSRP_METHOD_SEND;
  else if (hail_sip_span_equal_str (self->method_name, "REPORT"))
    self->method = HAIL_MSRP_METHOD_REPORT;
  else if (hail_sip_span_equal_str (self->method_name, "AUTH"))
    self->method = HAIL_MSRP_METHOD_AUTH;
  else
    self->method = HAIL_MSRP_METHOD_OTHER;
  return TRUE;
}

static gboolean
parse_header_line (const char  *p,
                   gsize        len,
                   Header      *h,
                   GError     **error)
{
  gsize i = 1;

  /* §9: hname = ALPHA *(ALPHANUM / "-" / "_"), then ":" SP hval. */
  if (!g_ascii_isalpha (p[0]))
    return fail (error, HAIL_SIP_ERROR_MALFORMED, "Invalid MSRP header name");
  while (i < len && (g_ascii_isalnum (p[i]) || p[i] == '-' || p[i] == '_'))
    i++;
  if (i + 1 >= len || p[i] != ':' || p[i + 1] != ' ')
    return fail (error, HAIL_SIP_ERROR_MALFORMED,
                 "MSRP header \"%.*s\" not followed by \": \"", (int) MIN (i, 64), p);
  h->name = (HailSipSpan) { p, i };
  h->value = (HailSipSpan) { p + i + 2, len - i - 2 };
  if (!is_utf8text (h->value.ptr, h->value.len))
    return fail (error, HAIL_SIP_ERROR_MALFORMED, "Invalid characters in MSRP header %.*s",
                 (int) i, p);
  return TRUE;
}

static gboolean
check_message (HailMsrpMessage  *self,
               GError          **error)
{
  const Header *last;

  if (self->to_path == NULL || self->from_path == NULL)
    return fail (error, HAIL_SIP_ERROR_MALFORMED, "MSRP message without To-Path and From-Path");
  last = &g_array_index (self->headers, Header, self->headers->len - 1);

  if (self->has_body)
    {
      /* §7.1: a body needs a Content-Type, which is the last header. */
      if (self->kind == HAIL_MSRP_MESSAGE_KIND_RESPONSE)
        return fail (error, HAIL_SIP_ERROR_MALFORMED, "MSRP response with a body");
      if (!hail_sip_span_present (self->content_type) || last->value.ptr != self->content_type.ptr)
        return fail (error, HAIL_SIP_ERROR_MALFORMED,
                     "MSRP body without Content-Type as the last header");
      if (self->method != HAIL_MSRP_METHOD_SEND && self->body.len > HAIL_MSRP_MAX_NON_SEND_BODY)
        return fail (error, HAIL_SIP_ERROR_TOO_LARGE,
                     "MSRP %.*s body larger than %d bytes", (int) self->method_name.len,
                     self->method_name.ptr, HAIL_MSRP_MAX_NON_SEND_BODY);
    }
  else if (hail_sip_span_present (self->content_type))
    {
      return fail (error, HAIL_SIP_ERROR_MALFORMED, "MSRP Content-Type without a body");
    }

  if (self->kind == HAIL_MSRP_MESSAGE_KIND_RESPONSE)
    {
      /* §7.2: only a request may be interrupted or continued. */
      if (self->continuation != HAIL_MSRP_CONTINUATION_COMPLETE)
        return fail (error, HAIL_SIP_ERROR_MALFORMED, "MSRP response not ended by $");
      return TRUE;
    }

  switch (self->method)
    {
    case HAIL_MSRP_METHOD_SEND:
      if (!hail_sip_span_present (self->message_id))
        return fail (error, HAIL_SIP_ERROR_MALFORMED, "MSRP SEND without Message-ID");
      break;

    case HAIL_MSRP_METHOD_REPORT:
      /* §7.1.2: a REPORT names the message and carries a Status. */
      if (!hail_sip_span_present (self->message_id) || !self->has_status)
        return fail (error, HAIL_SIP_ERROR_MALFORMED,
                     "MSRP REPORT without Message-ID and Status");
      if (self->success_report != (HailMsrpReport) -1 ||
          self->failure_report != (HailMsrpReport) -1)
        return fail (error, HAIL_SIP_ERROR_MALFORMED,
                     "MSRP REPORT with Success-Report or Failure-Report");
      break;

    case HAIL_MSRP_METHOD_AUTH:
      /* RFC 4976 §5.1: AUTH carries no message; Use-Path is only for the
       * relay's answer. */
      if (self->has_body || self->use_path != NULL)
        return fail (error, HAIL_SIP_ERROR_MALFORMED, "MSRP AUTH with a body or a Use-Path");
      break;

    case HAIL_MSRP_METHOD_OTHER:
    default:
      break;
    }
  return TRUE;
}

static gboolean
parse_into (HailMsrpMessage  *self,
            GError          **error)
{
  gsize len = 0;
  const char *p = g_bytes_get_data (self->bytes, &len);
  HailMsrpScan scan = { 0 };
  gsize frame_len = 0;
  gsize line_end;
  gsize pos;

  if (len == 0)
    return fail (error, HAIL_SIP_ERROR_INCOMPLETE, "Empty MSRP message");
  if (!_hail_msrp_frame_measure ((const guint8 *) p, len, &scan, &frame_len, error))
    return FALSE;
  if (frame_len != len)
    return fail (error, HAIL_SIP_ERROR_MALFORMED, "Bytes after the MSRP end-line");

  line_end = (const char *) memchr (p, '\n', len) - p - 1;
  if (!parse_start_line (self, p, line_end, scan.tid_len, error))
    return FALSE;
  self->continuation = (HailMsrpContinuation) p[len - 3];

  pos = line_end + 2;
  for (;;)
    {
      gsize eol = (const char *) memchr (p + pos, '\n', len - pos) - p - 1;
      Header h;

      if (eol == pos || p[pos] == '-')
        break;
      if (self->headers->len == HAIL_MSRP_MAX_HEADERS)
        return fail (error, HAIL_SIP_ERROR_TOO_LARGE, "More than %d MSRP headers",
                     HAIL_MSRP_MAX_HEADERS);
      if (!parse_header_line (p + pos, eol - pos, &h, error) ||
          !take_header (self, self->headers->len, &h, error))
        return FALSE;
      g_array_append_val (self->headers, h);
      pos = eol + 2;
    }
  if (self->headers->len < 2)
    return fail (error, HAIL_SIP_ERROR_MALFORMED, "MSRP message without To-Path and From-Path");

  if (scan.body_start != 0)
    {
      /* The body runs to the CRLF that precedes the end-line. */
      gsize body_end = len - (2 + HAIL_MSRP_END_HYPHENS_LEN + scan.tid_len + 3);

      self->has_body = TRUE;
      self->body = (HailSipSpan) { p + scan.body_start, body_end - scan.body_start };
    }
  return check_message (self, error);
}

HailMsrpMessage *
hail_msrp_message_parse (GBytes  *bytes,
                         GError **error)
{
  HailMsrpMessage *self;

  g_return_val_if_fail (bytes != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_atomic_rc_box_new0 (HailMsrpMessage);
  self->bytes = g_bytes_ref (bytes);
  self->headers = g_array_new (FALSE, FALSE, sizeof (Header));
  self->success_report = (HailMsrpReport) -1;
  self->failure_report = (HailMsrpReport) -1;
  if (!parse_into (self, error))
    {
      hail_msrp_message_unref (self);
      return NULL;
    }
  return self;
}

HailMsrpMessage *
hail_msrp_message_parse_prefix (const guint8  *data,
                                gsize          len,
                                gsize         *consumed,
                                GError       **error)
{
  g_autoptr(GBytes) bytes = NULL;
  HailMsrpScan scan = { 0 };
  gsize frame_len = 0;

  g_return_val_if_fail (data != NULL || len == 0, NULL);
  g_return_val_if_fail (consumed != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  *consumed = 0;
  if (len == 0)
    {
      fail (error, HAIL_SIP_ERROR_INCOMPLETE, "The MSRP message is incomplete");
      return NULL;
    }
  if (!_hail_msrp_frame_measure (data, len, &scan, &frame_len, error))
    return NULL;
  *consumed = frame_len;
  bytes = g_bytes_new (data, frame_len);
  return hail_msrp_message_parse (bytes, error);
}

HailMsrpMessage *
hail_msrp_message_ref (HailMsrpMessage *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return g_atomic_rc_box_acquire (self);
}

void
hail_msrp_message_unref (HailMsrpMessage *self)
{
  g_return_if_fail (self != NULL);

  g_atomic_rc_box_release_full (self, (GDestroyNotify) message_clear);
}

HailMsrpMessageKind
hail_msrp_message_get_kind (const HailMsrpMessage *self)
{
  g_return_val_if_fail (self != NULL, HAIL_MSRP_MESSAGE_KIND_REQUEST);

  return self->kind;
}

HailSipSpan
hail_msrp_message_get_transaction_id (const HailMsrpMessage *self)
{
  g_return_val_if_fail (self != NULL, HAIL_SIP_SPAN_NONE);

  return self->tid;
}

HailMsrpMethod
hail_msrp_message_get_method (const HailMsrpMessage *self)
{
  g_return_val_if_fail (self != NULL, HAIL_MSRP_METHOD_OTHER);

  return self->method;
}

HailSipSpan
hail_msrp_message_get_method_name (const HailMsrpMessage *self)
{
  g_return_val_if_fail (self != NULL, HAIL_SIP_SPAN_NONE);

  return self->method_name;
}

guint
hail_msrp_message_get_status_code (const HailMsrpMessage *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->status_code;
}

HailSipSpan
hail_msrp_message_get_comment (const HailMsrpMessage *self)
{
  g_return_val_if_fail (self != NULL, HAIL_SIP_SPAN_NONE);

  return self->comment;
}

guint
hail_msrp_message_get_n_headers (const HailMsrpMessage *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->headers->len;
}

void
hail_msrp_message_get_header (const HailMsrpMessage *self,
                              guint                  index,
                              HailSipSpan           *name,
                              HailSipSpan           *value)
{
  const Header *h;

  g_return_if_fail (self != NULL);
  g_return_if_fail (index < self->headers->len);

  h = &g_array_index (self->headers, Header, index);
  if (name != NULL)
    *name = h->name;
  if (value != NULL)
    *value = h->value;
}

HailSipSpan
hail_msrp_message_get_header_value (const HailMsrpMessage *self,
                                    const char            *name)
{
  g_return_val_if_fail (self != NULL, HAIL_SIP_SPAN_NONE);
  g_return_val_if_fail (name != NULL, HAIL_SIP_SPAN_NONE);

  for (guint i = 0; i < self->headers->len; i++)
    {
      const Header *h = &g_array_index (self->headers, Header, i);

      if (hail_sip_span_equal_ascii_case (h->name, name))
        return h->value;
    }
  return HAIL_SIP_SPAN_NONE;
}

GPtrArray *
hail_msrp_message_get_to_path (const HailMsrpMessage *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->to_path;
}

GPtrArray *
hail_msrp_message_get_from_path (const HailMsrpMessage *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->from_path;
}

GPtrArray *
hail_msrp_message_get_use_path (const HailMsrpMessage *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->use_path;
}

gboolean
hail_msrp_message_get_expires (const HailMsrpMessage *self,
                               guint                 *seconds)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (seconds != NULL, FALSE);

  *seconds = self->expires;
  return self->has_expires;
}

HailSipSpan
hail_msrp_message_get_message_id (const HailMsrpMessage *self)
{
  g_return_val_if_fail (self != NULL, HAIL_SIP_SPAN_NONE);

  return self->message_id;
}

gboolean
hail_msrp_message_get_byte_range (const HailMsrpMessage *self,
                                  HailMsrpByteRange     *range)
{
  g_return_val_if_fail (self != NULL, FALSE);

  if (self->has_range && range != NULL)
    *range = self->range;
  return self->has_range;
}

HailMsrpReport
hail_msrp_message_get_success_report (const HailMsrpMessage *self)
{
  g_return_val_if_fail (self != NULL, HAIL_MSRP_REPORT_NO);

  return self->success_report == (HailMsrpReport) -1 ? HAIL_MSRP_REPORT_NO
                                                     : self->success_report;
}

HailMsrpReport
hail_msrp_message_get_failure_report (const HailMsrpMessage *self)
{
  g_return_val_if_fail (self != NULL, HAIL_MSRP_REPORT_YES);

  return self->failure_report == (HailMsrpReport) -1 ? HAIL_MSRP_REPORT_YES
                                                     : self->failure_report;
}

gboolean
hail_msrp_message_get_status (const HailMsrpMessage *self,
                              HailMsrpStatus        *status)
{
  g_return_val_if_fail (self != NULL, FALSE);

  if (self->has_status && status != NULL)
    *status = self->status;
  return self->has_status;
}

HailSipSpan
hail_msrp_message_get_content_type (const HailMsrpMessage *self)
{
  g_return_val_if_fail (self != NULL, HAIL_SIP_SPAN_NONE);

  return self->content_type;
}

gboolean
hail_msrp_message_has_body (const HailMsrpMessage *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->has_body;
}

const guint8 *
hail_msrp_message_get_body (const HailMsrpMessage *self,
                            gsize                 *len)
{
  g_return_val_if_fail (self != NULL, NULL);

  if (len != NULL)
    *len = self->has_body ? self->body.len : 0;
  return self->has_body ? (const guint8 *) self->body.ptr : (const guint8 *) "";
}

GBytes *
hail_msrp_message_dup_body (const HailMsrpMessage *self)
{
  const guint8 *data;

  g_return_val_if_fail (self != NULL, NULL);

  if (!self->has_body)
    return g_bytes_new (NULL, 0);
  data = g_bytes_get_data (self->bytes, NULL);
  return g_bytes_new_from_bytes (self->bytes, (const guint8 *) self->body.ptr - data,
                                 self->body.len);
}

HailMsrpContinuation
hail_msrp_message_get_continuation (const HailMsrpMessage *self)
{
  g_return_val_if_fail (self != NULL, HAIL_MSRP_CONTINUATION_COMPLETE);

  return self->continuation;
}

GBytes *
hail_msrp_message_get_bytes (const HailMsrpMessage *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->bytes;
}

static void
append_span (GByteArray  *out,
             HailSipSpan  span)
{
  g_byte_array_append (out, (const guint8 *) span.ptr, span.len);
}

static void
append_str (GByteArray *out,
            const char *str)
{
  g_byte_array_append (out, (const guint8 *) str, strlen (str));
}

GBytes *
hail_msrp_message_to_bytes (const HailMsrpMessage *self)
{
  g_autoptr(GByteArray) out = NULL;
  char flag[4] = { 0 };

  g_return_val_if_fail (self != NULL, NULL);

  flag[0] = (char) self->continuation;
  flag[1] = '\r';
  flag[2] = '\n';

  out = g_byte_array_sized_new (g_bytes_get_size (self->bytes));
  append_str (out, "MSRP ");
  append_span (out, self->tid);
  append_str (out, " ");
  if (self->kind == HAIL_MSRP_MESSAGE_KIND_REQUEST)
    {
      append_span (out, self->method_name);
    }
  else
    {
      char code[4];

      g_snprintf (code, sizeof code, "%03u", self->status_code);
      append_str (out, code);
      if (hail_sip_span_present (self->comment))
        {
          append_str (out, " ");
          append_span (out, self->comment);
        }
    }
  append_str (out, "\r\n");
  for (guint i = 0; i < self->headers->len; i++)
    {
      const Header *h = &g_array_index (self->headers, Header, i);

      append_span (out, h->name);
      append_str (out, ": ");
      append_span (out, h->value);
      append_str (out, "\r\n");
    }
  if (self->has_body)
    {
      append_str (out, "\r\n");
      append_span (out, self->body);
      append_str (out, "\r\n");
    }
  append_str (out, HAIL_MSRP_END_HYPHENS);
  append_span (out, self->tid);
  append_str (out, flag);
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

char *
hail_msrp_byte_range_to_string (const HailMsrpByteRange *range)
{
  g_autofree char *end = NULL;
  g_autofree char *total = NULL;

  g_return_val_if_fail (range != NULL, NULL);

  end = range->end < 0 ? g_strdup ("*") : g_strdup_printf ("%" G_GINT64_FORMAT, range->end);
  total = range->total < 0 ? g_strdup ("*")
                           : g_strdup_printf ("%" G_GINT64_FORMAT, range->total);
  return g_strdup_printf ("%" G_GUINT64_FORMAT "-%s/%s", range->start, end, total);
}
