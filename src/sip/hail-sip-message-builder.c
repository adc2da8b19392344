/* hail-sip-message-builder.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The message writer. Output uses CRLF, long header names, no folding and a
 * computed Content-Length, and is parsed back before it is handed out, so a
 * built HailSipMessage is always one the parser accepts.
 */
#include "config.h"

#include "hail-sip-message-builder.h"

#include "hail-sip-private.h"

#include <string.h>

struct _HailSipMessageBuilder {
  GString *start_line;
  GString *headers;
  GBytes  *body;
  /* The first invalid input, reported by to_bytes() and finish(). */
  GError  *error;
};

static HailSipMessageBuilder *
builder_new (void)
{
  HailSipMessageBuilder *self = g_new0 (HailSipMessageBuilder, 1);

  self->start_line = g_string_new (NULL);
  self->headers = g_string_sized_new (512);
  return self;
}

/**
 * hail_sip_message_builder_free:
 * @self: (transfer full): a builder
 *
 * Frees the builder.
 */
void
hail_sip_message_builder_free (HailSipMessageBuilder *self)
{
  g_return_if_fail (self != NULL);

  g_string_free (self->start_line, TRUE);
  g_string_free (self->headers, TRUE);
  g_clear_pointer (&self->body, g_bytes_unref);
  g_clear_error (&self->error);
  g_free (self);
}

static void
set_error (HailSipMessageBuilder *self,
           const char            *what)
{
  if (self->error == NULL)
    self->error = g_error_new_literal (HAIL_SIP_ERROR, HAIL_SIP_ERROR_MALFORMED, what);
}

/**
 * hail_sip_status_get_reason_phrase:
 * @status: a status code
 *
 * Returns: the RFC 3261 §21 reason phrase, or a generic one for the class
 */
const char *
hail_sip_status_get_reason_phrase (guint status)
{
  static const struct { guint16 code; const char *phrase; } phrases[] = {
    { 100, "Trying" }, { 180, "Ringing" }, { 181, "Call Is Being Forwarded" },
    { 182, "Queued" }, { 183, "Session Progress" }, { 199, "Early Dialog Terminated" },
    { 200, "OK" }, { 202, "Accepted" }, { 204, "No Notification" },
    { 300, "Multiple Choices" }, { 301, "Moved Permanently" }, { 302, "Moved Temporarily" },
    { 305, "Use Proxy" }, { 380, "Alternative Service" },
    { 400, "Bad Request" }, { 401, "Unauthorized" }, { 402, "Payment Required" },
    { 403, "Forbidden" }, { 404, "Not Found" }, { 405, "Method Not Allowed" },
    { 406, "Not Acceptable" }, { 407, "Proxy Authentication Required" },
    { 408, "Request Timeout" }, { 410, "Gone" }, { 413, "Request Entity Too Large" },
    { 414, "Request-URI Too Long" }, { 415, "Unsupported Media Type" },
    { 416, "Unsupported URI Scheme" }, { 420, "Bad Extension" }, { 421, "Extension Required" },
    { 423, "Interval Too Brief" }, { 480, "Temporarily Unavailable" },
    { 481, "Call/Transaction Does Not Exist" }, { 482, "Loop Detected" },
    { 483, "Too Many Hops" }, { 484, "Address Incomplete" }, { 485, "Ambiguous" },
    { 486, "Busy Here" }, { 487, "Request Terminated" }, { 488, "Not Acceptable Here" },
    { 489, "Bad Event" }, { 491, "Request Pending" }, { 493, "Undecipherable" },
    { 500, "Server Internal Error" }, { 501, "Not Implemented" }, { 502, "Bad Gateway" },
    { 503, "Service Unavailable" }, { 504, "Server Time-out" },
    { 505, "Version Not Supported" }, { 513, "Message Too Large" },
    { 600, "Busy Everywhere" }, { 603, "Decline" }, { 604, "Does Not Exist Anywhere" },
    { 606, "Not Acceptable" },
  };
  static const char * const classes[] = {
    "Unknown", "Provisional", "Success", "Redirection", "Client Error", "Server Error",
    "Global Failure",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (phrases); i++)
    if (phrases[i].code == status)
      return phrases[i].phrase;
  return classes[status >= 100 && status <= 699 ? status / 100 : 0];
}

static gboolean
valid_reason (const char *reason)
{
  return strpbrk (reason, "\r\n") == NULL;
}

/**
 * hail_sip_message_builder_new_request:
 * @method: a method token such as "INVITE"
 * @request_uri: the Request-URI
 *
 * Returns: (transfer full): a builder for a request
 */
HailSipMessageBuilder *
hail_sip_message_builder_new_request (const char       *method,
                                      const HailSipUri *request_uri)
{
  HailSipMessageBuilder *self;
  gsize len;

  g_return_val_if_fail (method != NULL, NULL);
  g_return_val_if_fail (request_uri != NULL, NULL);

  len = strlen (method);
  self = builder_new ();
  if (len == 0 || _hail_sip_skip_class (method, method + len, HAIL_SIP_C_TOKEN) != method + len)
    set_error (self, "bad method");
  g_string_append_printf (self->start_line, "%s %s SIP/2.0\r\n", method,
                          hail_sip_uri_to_string (request_uri));
  return self;
}

/**
 * hail_sip_message_builder_new_response:
 * @status: 100 to 699
 * @reason: (nullable): reason phrase, or %NULL for the standard one
 *
 * Returns: (transfer full): a builder for a response
 */
HailSipMessageBuilder *
hail_sip_message_builder_new_response (guint       status,
                                       const char *reason)
{
  HailSipMessageBuilder *self;

  g_return_val_if_fail (status >= 100 && status <= 699, NULL);

  self = builder_new ();
  if (reason == NULL)
    reason = hail_sip_status_get_reason_phrase (status);
  if (!valid_reason (reason))
    set_error (self, "line break in reason phrase");
  g_string_append_printf (self->start_line, "SIP/2.0 %u %s\r\n", status, reason);
  return self;
}

/* Appends "Name: value" CRLF, joining folded lines with one space: the writer
 * never re-emits folding. */
static void
append_unfolded (HailSipMessageBuilder *self,
                 const char            *name,
                 HailSipSpan            value)
{
  const char *p = value.ptr;
  const char *end = value.ptr + value.len;

  g_string_append (self->headers, name);
  g_string_append (self->headers, ": ");
  while (p < end)
    {
      const char *brk = p;

      while (brk < end && *brk != '\r' && *brk != '\n')
        brk++;
      g_string_append_len (self->headers, p, brk - p);
      if (brk == end)
        break;
      p = _hail_sip_skip_ws (brk, end);
      g_string_append_c (self->headers, ' ');
    }
  g_string_append (self->headers, "\r\n");
}

static void
append_entry (HailSipMessageBuilder    *self,
              const HailSipMessage     *msg,
              const HailSipHeaderEntry *entry)
{
  const char *name = hail_sip_header_get_name (entry->id);
  g_autofree char *other = NULL;

  if (name == NULL)
    name = other = g_strndup (msg->data + entry->name_off, entry->name_len);
  append_unfolded (self, name, (HailSipSpan) { msg->data + entry->value_off, entry->value_len });
}

/**
 * hail_sip_message_builder_new_copy:
 * @message: a parsed message
 *
 * Starts a builder holding the same start line, headers (in order, long
 * names, folding removed, Content-Length recomputed) and body: parsing its
 * output gives the same fields.
 *
 * Returns: (transfer full): a builder
 */
HailSipMessageBuilder *
hail_sip_message_builder_new_copy (const HailSipMessage *message)
{
  HailSipMessageBuilder *self;

  g_return_val_if_fail (message != NULL, NULL);

  self = builder_new ();
  if (message->is_request)
    g_string_append_printf (self->start_line, "%.*s %.*s SIP/2.0\r\n",
                            (int) message->method.len, message->method.ptr,
                            (int) message->request_uri.len, message->request_uri.ptr);
  else
    g_string_append_printf (self->start_line, "SIP/2.0 %u %.*s\r\n", message->status,
                            (int) message->reason.len, message->reason.ptr);
  for (guint i = 0; i < message->n_headers; i++)
    if (message->headers[i].id != HAIL_SIP_HEADER_CONTENT_LENGTH)
      append_entry (self, message, &message->headers[i]);
  if (message->body.len > 0)
    self->body = g_bytes_new (message->body.ptr, message->body.len);
  return self;
}

/**
 * hail_sip_message_builder_new_reply:
 * @request: the request to answer
 * @status: 100 to 699
 * @reason: (nullable): reason phrase, or %NULL for the standard one
 * @to_tag: (nullable): tag to add to To when it has none (not for 100)
 *
 * Starts a response after RFC 3261 §8.2.6: copies every Via in order, From,
 * To, Call-ID and CSeq, and for a 100 the Timestamp (§8.2.6.1). Record-Route
 * is for the dialog layer to copy into dialog-creating responses (§12.1.1).
 *
 * Returns: (transfer full): a builder
 */
HailSipMessageBuilder *
hail_sip_message_builder_new_reply (const HailSipMessage *request,
                                    guint                 status,
                                    const char           *reason,
                                    const char           *to_tag)
{
  HailSipMessageBuilder *self;

  g_return_val_if_fail (request != NULL, NULL);
  g_return_val_if_fail (request->is_request, NULL);
  g_return_val_if_fail (status >= 100 && status <= 699, NULL);

  self = hail_sip_message_builder_new_response (status, reason);
  for (guint i = 0; i < request->n_headers; i++)
    {
      const HailSipHeaderEntry *entry = &request->headers[i];

      switch (entry->id)
        {
        case HAIL_SIP_HEADER_VIA:
          append_entry (self, request, entry);
          break;
        case HAIL_SIP_HEADER_TIMESTAMP:
          if (status == 100)
            append_entry (self, request, entry);
          break;
        case HAIL_SIP_HEADER_FROM:
        case HAIL_SIP_HEADER_CALL_ID:
        case HAIL_SIP_HEADER_CSEQ:
        case HAIL_SIP_HEADER_TO:
          /* Single-valued: copy the first only. */
          if (request->first[entry->id] != i)
            break;
          append_entry (self, request, entry);
          if (entry->id == HAIL_SIP_HEADER_TO && to_tag != NULL && status > 100
              && (request->have & HAIL_SIP_HAVE_TO) && request->to.tag.ptr == NULL)
            {
              gsize len = strlen (to_tag);

              if (len == 0 || _hail_sip_skip_class (to_tag, to_tag + len, HAIL_SIP_C_TOKEN)
                  != to_tag + len)
                set_error (self, "bad To tag");
              /* Insert before the CRLF that append_entry() wrote. */
              g_string_truncate (self->headers, self->headers->len - 2);
              g_string_append_printf (self->headers, ";tag=%s\r\n", to_tag);
            }
          break;
        default:
          break;
        }
    }
  return self;
}

/* A Reason-Phrase may hold reserved and unreserved characters, UTF-8 and
 * spaces (RFC 3261 §25.1); anything else in our error text becomes a space. */
static char *
reason_from_error (const char *what,
                   const char *message)
{
  GString *s = g_string_new (what);

  g_string_append (s, " (");
  for (const char *p = message; *p != '\0'; p++)
    {
      if (g_ascii_isalnum (*p) || strchr ("-_.!~*'();/?:@&=+$, ", *p) != NULL)
        g_string_append_c (s, *p);
      else
        g_string_append_c (s, ' ');
    }
  g_string_append_c (s, ')');
  return g_string_free (s, FALSE);
}

/**
 * hail_sip_message_builder_new_error_reply:
 * @bytes: a datagram (or framed stream message) that failed to parse
 * @parse_error: the error hail_sip_message_parse() gave
 * @to_tag: (nullable): tag to add to To
 * @error: return location for a #GError
 *
 * Starts the answer to a request that could not be parsed, when its Via,
 * From, To, Call-ID and CSeq are still readable: 505 for
 * %HAIL_SIP_ERROR_VERSION, 513 for %HAIL_SIP_ERROR_TOO_LARGE, 400 otherwise,
 * with the parse error in the reason phrase. Responses and requests whose
 * transaction headers are unreadable cannot be answered: then %NULL with
 * @error set, and the caller drops the bytes.
 *
 * Returns: (transfer full) (nullable): a builder, or %NULL
 */
HailSipMessageBuilder *
hail_sip_message_builder_new_error_reply (GBytes        *bytes,
                                          const GError  *parse_error,
                                          const char    *to_tag,
                                          GError       **error)
{
  g_autoptr(HailSipMessage) msg = NULL;
  g_autofree char *reason = NULL;
  guint status = 400;
  const guint wanted = HAIL_SIP_HAVE_VIA | HAIL_SIP_HAVE_FROM | HAIL_SIP_HAVE_TO
                       | HAIL_SIP_HAVE_CALL_ID | HAIL_SIP_HAVE_CSEQ;

  g_return_val_if_fail (bytes != NULL, NULL);
  g_return_val_if_fail (parse_error != NULL, NULL);

  if (g_error_matches (parse_error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_INCOMPLETE))
    {
      g_set_error_literal (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_INCOMPLETE,
                           "cannot answer an incomplete message");
      return NULL;
    }
  if (g_error_matches (parse_error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_VERSION))
    status = 505;
  else if (g_error_matches (parse_error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_TOO_LARGE))
    status = 513;

  msg = _hail_sip_message_parse_full (bytes, HAIL_SIP_PARSE_DATAGRAM, NULL,
                                      HAIL_SIP_PARSE_FLAG_SALVAGE, NULL, error);
  if (msg == NULL)
    {
      g_prefix_error (error, "cannot answer: ");
      return NULL;
    }
  if (!msg->is_request)
    {
      g_set_error_literal (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_MALFORMED,
                           "cannot answer a response");
      return NULL;
    }
  if ((msg->have & wanted) != wanted)
    {
      g_set_error_literal (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_MALFORMED,
                           "cannot answer: Via, From, To, Call-ID or CSeq missing");
      return NULL;
    }
  reason = reason_from_error (hail_sip_status_get_reason_phrase (status), parse_error->message);
  return hail_sip_message_builder_new_reply (msg, status, reason, to_tag);
}

/**
 * hail_sip_message_builder_add_header_len:
 * @self: a builder
 * @name: a header name (a token)
 * @value: the value; a line break in it is an error
 * @len: length of @value
 *
 * Appends a header line. Content-Length is computed: adding it is an error.
 */
void
hail_sip_message_builder_add_header_len (HailSipMessageBuilder *self,
                                         const char            *name,
                                         const char            *value,
                                         gsize                  len)
{
  gsize name_len;
  HailSipHeaderId id;

  g_return_if_fail (self != NULL);
  g_return_if_fail (name != NULL);
  g_return_if_fail (value != NULL || len == 0);

  name_len = strlen (name);
  id = hail_sip_header_lookup (name, name_len);
  if (name_len == 0 || _hail_sip_skip_class (name, name + name_len, HAIL_SIP_C_TOKEN)
      != name + name_len)
    set_error (self, "bad header name");
  else if (id == HAIL_SIP_HEADER_CONTENT_LENGTH)
    set_error (self, "Content-Length is computed by the writer");
  else if (memchr (value, '\r', len) != NULL || memchr (value, '\n', len) != NULL)
    set_error (self, "line break in a header value");
  if (self->error != NULL)
    return;
  g_string_append (self->headers, name);
  g_string_append (self->headers, ": ");
  g_string_append_len (self->headers, value, (gssize) len);
  g_string_append (self->headers, "\r\n");
}

/**
 * hail_sip_message_builder_add_header:
 * @self: a builder
 * @name: a header name
 * @value: a NUL-terminated value
 *
 * Appends a header line; see hail_sip_message_builder_add_header_len().
 */
void
hail_sip_message_builder_add_header (HailSipMessageBuilder *self,
                                     const char            *name,
                                     const char            *value)
{
  g_return_if_fail (value != NULL);

  hail_sip_message_builder_add_header_len (self, name, value, strlen (value));
}

/**
 * hail_sip_message_builder_set_body:
 * @self: a builder
 * @content_type: (nullable): the Content-Type to add, or %NULL when added
 *   as a header already
 * @body: (nullable): the body
 *
 * Sets the body; Content-Length follows from it.
 */
void
hail_sip_message_builder_set_body (HailSipMessageBuilder *self,
                                   const char            *content_type,
                                   GBytes                *body)
{
  g_return_if_fail (self != NULL);

  if (content_type != NULL)
    hail_sip_message_builder_add_header (self, "Content-Type", content_type);
  g_clear_pointer (&self->body, g_bytes_unref);
  if (body != NULL)
    self->body = g_bytes_ref (body);
}

/**
 * hail_sip_message_builder_to_bytes:
 * @self: a builder
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the message bytes, or %NULL when an
 *   input was invalid
 */
GBytes *
hail_sip_message_builder_to_bytes (HailSipMessageBuilder *self,
                                   GError               **error)
{
  gsize body_len = 0;
  const char *body;
  GString *out;

  g_return_val_if_fail (self != NULL, NULL);

  if (self->error != NULL)
    {
      g_propagate_error (error, g_error_copy (self->error));
      return NULL;
    }
  body = self->body != NULL ? g_bytes_get_data (self->body, &body_len) : NULL;
  out = g_string_sized_new (self->start_line->len + self->headers->len + body_len + 32);
  g_string_append_len (out, self->start_line->str, (gssize) self->start_line->len);
  g_string_append_len (out, self->headers->str, (gssize) self->headers->len);
  g_string_append_printf (out, "Content-Length: %" G_GSIZE_FORMAT "\r\n\r\n", body_len);
  if (body_len > 0)
    g_string_append_len (out, body, (gssize) body_len);
  return g_string_free_to_bytes (out);
}

/**
 * hail_sip_message_builder_finish:
 * @self: a builder
 * @error: return location for a #GError
 *
 * Writes the message and parses it back, so what comes out is exactly what
 * a peer will read.
 *
 * Returns: (transfer full) (nullable): the message, or %NULL with @error set
 */
HailSipMessage *
hail_sip_message_builder_finish (HailSipMessageBuilder *self,
                                 GError               **error)
{
  g_autoptr(GBytes) bytes = NULL;
  HailSipLimits limits;
  HailSipMessage *msg;

  g_return_val_if_fail (self != NULL, NULL);

  bytes = hail_sip_message_builder_to_bytes (self, error);
  if (bytes == NULL)
    return NULL;
  /* What we write ourselves is bounded by our own input, not the network. */
  hail_sip_limits_init (&limits);
  limits.max_message_size = CLAMP (g_bytes_get_size (bytes), limits.max_message_size,
                                   HAIL_SIP_MAX_MESSAGE_SIZE_CEILING);
  limits.max_headers = HAIL_SIP_MAX_HEADERS_CEILING;
  msg = hail_sip_message_parse (bytes, HAIL_SIP_PARSE_STREAM, &limits, NULL, error);
  if (msg == NULL)
    g_prefix_error (error, "the written message does not parse: ");
  return msg;
}
