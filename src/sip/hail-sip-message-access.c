/* hail-sip-message-access.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Read access to a parsed message: the start line, headers by name or id,
 * comma-list iteration and the typed values. Everything returned points into
 * the message's buffer; the values were validated when the message was
 * parsed, so re-parsing them here cannot fail.
 */
#include "config.h"

#include "hail-sip-message.h"

#include "hail-sip-private.h"

#include <string.h>

/**
 * hail_sip_message_get_bytes:
 * @self: a message
 *
 * Returns: (transfer full): the bytes of this message alone (start line to
 *   the end of the body), without leading keep-alives or trailing bytes
 */
GBytes *
hail_sip_message_get_bytes (const HailSipMessage *self)
{
  gsize total = 0;
  const char *data;

  g_return_val_if_fail (self != NULL, NULL);

  data = g_bytes_get_data (self->bytes, &total);
  if (data == self->data && total == self->size)
    return g_bytes_ref (self->bytes);
  return g_bytes_new_from_bytes (self->bytes, (gsize) (self->data - data), self->size);
}

/* Returns: whether the message is a request (else a response). */
gboolean
hail_sip_message_is_request (const HailSipMessage *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->is_request;
}

/* Returns: the method of a request (absent for a response). */
HailSipSpan
hail_sip_message_get_method (const HailSipMessage *self)
{
  g_return_val_if_fail (self != NULL, HAIL_SIP_SPAN_NONE);

  return self->method;
}

/**
 * hail_sip_message_is_method:
 * @self: a message
 * @method: a method name such as "INVITE"
 *
 * Methods are case-sensitive (RFC 3261 §7.1). For a response, the CSeq
 * method is compared.
 *
 * Returns: whether the message is of that method
 */
gboolean
hail_sip_message_is_method (const HailSipMessage *self,
                            const char           *method)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (method != NULL, FALSE);

  if (self->is_request)
    return hail_sip_span_equal_str (self->method, method);
  return (self->have & HAIL_SIP_HAVE_CSEQ) && hail_sip_span_equal_str (self->cseq.method, method);
}

/* Returns: the Request-URI text of a request (absent for a response). */
HailSipSpan
hail_sip_message_get_request_uri (const HailSipMessage *self)
{
  g_return_val_if_fail (self != NULL, HAIL_SIP_SPAN_NONE);

  return self->request_uri;
}

/**
 * hail_sip_message_get_request_uri_view:
 * @self: a request
 *
 * Returns: (nullable): the parsed Request-URI, %NULL for a response
 */
const HailSipUriView *
hail_sip_message_get_request_uri_view (const HailSipMessage *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->request_uri.ptr != NULL ? &self->request_uri_view : NULL;
}

/* Returns: the status code of a response, 0 for a request. */
guint
hail_sip_message_get_status (const HailSipMessage *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->status;
}

/* Returns: the reason phrase of a response (may be empty). */
HailSipSpan
hail_sip_message_get_reason (const HailSipMessage *self)
{
  g_return_val_if_fail (self != NULL, HAIL_SIP_SPAN_NONE);

  return self->reason;
}

/* Returns: the body, exactly Content-Length bytes (empty when none). */
HailSipSpan
hail_sip_message_get_body (const HailSipMessage *self)
{
  g_return_val_if_fail (self != NULL, HAIL_SIP_SPAN_NONE);

  return self->body;
}

/* Returns: the number of header lines. */
guint
hail_sip_message_get_n_headers (const HailSipMessage *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->n_headers;
}

/**
 * hail_sip_message_get_header_at:
 * @self: a message
 * @index: a header line, from 0
 * @name: (out) (optional): its name as written (possibly compact)
 * @value: (out) (optional): its value, trimmed; folded lines keep their
 *   CRLF and leading whitespace
 * @id: (out) (optional): its id
 *
 * Returns: %FALSE when @index is out of range
 */
gboolean
hail_sip_message_get_header_at (const HailSipMessage *self,
                                guint                 index,
                                HailSipSpan          *name,
                                HailSipSpan          *value,
                                HailSipHeaderId      *id)
{
  const HailSipHeaderEntry *entry;

  g_return_val_if_fail (self != NULL, FALSE);

  if (index >= self->n_headers)
    return FALSE;
  entry = &self->headers[index];
  if (name != NULL)
    *name = (HailSipSpan) { self->data + entry->name_off, entry->name_len };
  if (value != NULL)
    *value = (HailSipSpan) { self->data + entry->value_off, entry->value_len };
  if (id != NULL)
    *id = entry->id;
  return TRUE;
}

static gboolean
entry_matches (const HailSipMessage     *self,
               const HailSipHeaderEntry *entry,
               HailSipHeaderId           id,
               const char               *name,
               gsize                     len)
{
  if (id != HAIL_SIP_HEADER_OTHER)
    return entry->id == id;
  return entry->id == HAIL_SIP_HEADER_OTHER && entry->name_len == len
         && _hail_sip_ascii_caseeq (self->data + entry->name_off, name, len);
}

/**
 * hail_sip_message_get_header:
 * @self: a message
 * @name: a header name, long or compact, in any case
 * @value: (out) (optional): the value of its first line
 *
 * Returns: whether the header is present
 */
gboolean
hail_sip_message_get_header (const HailSipMessage *self,
                             const char           *name,
                             HailSipSpan          *value)
{
  gsize len;
  HailSipHeaderId id;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  len = strlen (name);
  id = hail_sip_header_lookup (name, len);
  for (guint i = id != HAIL_SIP_HEADER_OTHER ? self->first[id] : 0; i < self->n_headers; i++)
    {
      if (entry_matches (self, &self->headers[i], id, name, len))
        return hail_sip_message_get_header_at (self, i, NULL, value, NULL);
    }
  return FALSE;
}

/**
 * hail_sip_message_dup_header:
 * @self: a message
 * @name: a header name
 *
 * Returns: (transfer full) (nullable): the first value with folded lines
 *   joined by single spaces, or %NULL when absent
 */
char *
hail_sip_message_dup_header (const HailSipMessage *self,
                             const char           *name)
{
  HailSipSpan value;
  GString *out;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  if (!hail_sip_message_get_header (self, name, &value))
    return NULL;
  out = g_string_sized_new (value.len);
  for (const char *p = value.ptr, *end = p + value.len; p < end; p++)
    {
      if (*p == '\r' || *p == '\n')
        {
          while (p + 1 < end && _hail_sip_is (p[1], HAIL_SIP_C_WS))
            p++;
          if (out->len > 0 && out->str[out->len - 1] != ' ')
            g_string_append_c (out, ' ');
          continue;
        }
      g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}

/* Returns: the number of header lines with this name. */
guint
hail_sip_message_count_headers (const HailSipMessage *self,
                                const char           *name)
{
  gsize len;
  HailSipHeaderId id;
  guint n = 0;

  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (name != NULL, 0);

  len = strlen (name);
  id = hail_sip_header_lookup (name, len);
  for (guint i = 0; i < self->n_headers; i++)
    n += entry_matches (self, &self->headers[i], id, name, len);
  return n;
}

/**
 * hail_sip_message_iter_init:
 * @self: a message
 * @iter: (out caller-allocates): an iterator
 * @name: a header name; must live as long as @iter
 *
 * Prepares to walk the values of @name across all its lines: list headers
 * (see hail_sip_header_is_list()) one element at a time, others one line at
 * a time (WWW-Authenticate, Authorization... come whole).
 */
void
hail_sip_message_iter_init (const HailSipMessage *self,
                            HailSipHeaderIter    *iter,
                            const char           *name)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (iter != NULL);
  g_return_if_fail (name != NULL);

  memset (iter, 0, sizeof *iter);
  iter->msg = self;
  iter->name = name;
  iter->name_len = strlen (name);
  iter->id = hail_sip_header_lookup (name, iter->name_len);
  iter->split = hail_sip_header_is_list (iter->id);
  iter->index = iter->id != HAIL_SIP_HEADER_OTHER ? self->first[iter->id] : 0;
}

/**
 * hail_sip_header_iter_next:
 * @iter: an iterator
 * @value: (out): the next value, trimmed
 *
 * Empty list elements are skipped.
 *
 * Returns: %FALSE when there are no more values
 */
gboolean
hail_sip_header_iter_next (HailSipHeaderIter *iter,
                           HailSipSpan       *value)
{
  const HailSipMessage *msg;

  g_return_val_if_fail (iter != NULL, FALSE);
  g_return_val_if_fail (value != NULL, FALSE);

  msg = iter->msg;
  for (;;)
    {
      const char *comma, *a, *b;

      if (iter->p == NULL)
        {
          const HailSipHeaderEntry *entry;

          while (iter->index < msg->n_headers
                 && !entry_matches (msg, &msg->headers[iter->index], iter->id, iter->name,
                                    iter->name_len))
            iter->index++;
          if (iter->index >= msg->n_headers)
            return FALSE;
          entry = &msg->headers[iter->index++];
          a = msg->data + entry->value_off;
          if (!iter->split)
            {
              *value = (HailSipSpan) { a, entry->value_len };
              return TRUE;
            }
          iter->p = a;
          iter->end = a + entry->value_len;
        }

      comma = _hail_sip_next_comma (iter->p, iter->end);
      a = _hail_sip_skip_ws (iter->p, comma);
      b = comma;
      iter->p = comma < iter->end ? comma + 1 : NULL;
      while (b > a && _hail_sip_is (b[-1], HAIL_SIP_C_WS))
        b--;
      if (a < b)
        {
          *value = _hail_sip_span (a, b);
          return TRUE;
        }
    }
}

/* Parses the @index-th Via or Contact value across lines and comma lists,
 * element after element (they were validated when the message was parsed). */
static gboolean
nth_value (const HailSipMessage *self,
           HailSipHeaderId       id,
           guint                 index,
           gpointer              out)
{
  for (guint i = self->first[id]; i < self->n_headers; i++)
    {
      const HailSipHeaderEntry *entry = &self->headers[i];
      const char *p = self->data + entry->value_off;
      const char *end = p + entry->value_len;

      if (entry->id != id)
        continue;
      for (;;)
        {
          const char *next = NULL;
          gboolean ok = id == HAIL_SIP_HEADER_VIA
                        ? _hail_sip_via_parse_at (out, p, end, &next, NULL)
                        : _hail_sip_name_addr_parse_at (out, p, end, TRUE, &next, NULL);

          if (!ok)
            return FALSE;
          if (index-- == 0)
            return TRUE;
          if (next == end)
            break;
          p = next + 1;
        }
    }
  return FALSE;
}

/* Returns: the number of Via values, across lines and comma lists. */
guint
hail_sip_message_get_n_vias (const HailSipMessage *self)
{
  HailSipHeaderIter iter;
  HailSipSpan value;
  guint n = 0;

  g_return_val_if_fail (self != NULL, 0);

  hail_sip_message_iter_init (self, &iter, "Via");
  while (hail_sip_header_iter_next (&iter, &value))
    n++;
  return n;
}

/**
 * hail_sip_message_get_via:
 * @self: a message
 * @index: 0 for the top Via (the one added last)
 * @via: (out caller-allocates): the value
 *
 * Returns: %FALSE when there are not that many Via values
 */
gboolean
hail_sip_message_get_via (const HailSipMessage *self,
                          guint                 index,
                          HailSipVia           *via)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (via != NULL, FALSE);

  if (index == 0)
    {
      *via = self->top_via;
      return (self->have & HAIL_SIP_HAVE_VIA) != 0;
    }
  return nth_value (self, HAIL_SIP_HEADER_VIA, index, via);
}
/**
 * hail_sip_message_get_from:
 * @self: a message
 *
 * Returns: (nullable): the (first) From value, %NULL when absent
 */
const HailSipNameAddr *
hail_sip_message_get_from (const HailSipMessage *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return (self->have & HAIL_SIP_HAVE_FROM) ? &self->from : NULL;
}

/**
 * hail_sip_message_get_to:
 * @self: a message
 *
 * Returns: (nullable): the (first) To value, %NULL when absent
 */
const HailSipNameAddr *
hail_sip_message_get_to (const HailSipMessage *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return (self->have & HAIL_SIP_HAVE_TO) ? &self->to : NULL;
}

/* Returns: the (first) Call-ID, absent when none. */
HailSipSpan
hail_sip_message_get_call_id (const HailSipMessage *self)
{
  g_return_val_if_fail (self != NULL, HAIL_SIP_SPAN_NONE);

  return (self->have & HAIL_SIP_HAVE_CALL_ID) ? self->call_id : HAIL_SIP_SPAN_NONE;
}

/**
 * hail_sip_message_get_cseq:
 * @self: a message
 *
 * Returns: (nullable): the (first) CSeq, %NULL when absent
 */
const HailSipCSeq *
hail_sip_message_get_cseq (const HailSipMessage *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return (self->have & HAIL_SIP_HAVE_CSEQ) ? &self->cseq : NULL;
}

/**
 * hail_sip_message_get_max_forwards:
 * @self: a message
 *
 * Returns: Max-Forwards (0 to 255), or -1 when absent or out of range (RFC
 *   4475 scalar02: an overlarge value counts as absent)
 */
gint
hail_sip_message_get_max_forwards (const HailSipMessage *self)
{
  HailSipSpan value;
  guint32 n;

  g_return_val_if_fail (self != NULL, -1);

  if (!hail_sip_message_get_header (self, "Max-Forwards", &value)
      || !hail_sip_span_to_uint32 (value, &n) || n > 255)
    return -1;
  return (gint) n;
}

static gboolean
get_delta (const HailSipMessage *self,
           const char           *name,
           guint32              *out)
{
  HailSipSpan value;

  return hail_sip_message_get_header (self, name, &value)
         && hail_sip_parse_delta_seconds (value.ptr, value.len, out);
}

/**
 * hail_sip_message_get_expires:
 * @self: a message
 * @expires: (out): the Expires value in seconds
 *
 * Returns: whether a valid Expires is present; a malformed or overlarge one
 *   counts as absent (RFC 3261 §20.19: treat it as 3600)
 */
gboolean
hail_sip_message_get_expires (const HailSipMessage *self,
                              guint32              *expires)
{
  g_return_val_if_fail (self != NULL && expires != NULL, FALSE);

  return get_delta (self, "Expires", expires);
}

/**
 * hail_sip_message_get_min_expires:
 * @self: a message (a 423 response)
 * @min_expires: (out): the Min-Expires value
 *
 * Returns: whether a valid Min-Expires is present
 */
gboolean
hail_sip_message_get_min_expires (const HailSipMessage *self,
                                  guint32              *min_expires)
{
  g_return_val_if_fail (self != NULL && min_expires != NULL, FALSE);

  return get_delta (self, "Min-Expires", min_expires);
}

/**
 * hail_sip_message_get_retry_after:
 * @self: a message
 * @seconds: (out): the delta-seconds of Retry-After (comment and
 *   parameters ignored)
 *
 * Returns: whether a valid Retry-After is present (RFC 4475 scalarlg: an
 *   overlarge one is not)
 */
gboolean
hail_sip_message_get_retry_after (const HailSipMessage *self,
                                  guint32              *seconds)
{
  HailSipSpan value;
  const char *end;

  g_return_val_if_fail (self != NULL && seconds != NULL, FALSE);

  if (!hail_sip_message_get_header (self, "Retry-After", &value))
    return FALSE;
  end = _hail_sip_skip_class (value.ptr, value.ptr + value.len, HAIL_SIP_C_DIGIT);
  return _hail_sip_parse_uint32 (value.ptr, end, seconds);
}

/**
 * hail_sip_message_get_content_type:
 * @self: a message
 * @ctype: (out caller-allocates): the media type
 *
 * Returns: whether a Content-Type is present
 */
gboolean
hail_sip_message_get_content_type (const HailSipMessage *self,
                                   HailSipContentType   *ctype)
{
  HailSipSpan value;

  g_return_val_if_fail (self != NULL && ctype != NULL, FALSE);

  return hail_sip_message_get_header (self, "Content-Type", &value)
         && hail_sip_content_type_parse (ctype, value.ptr, value.len, NULL);
}

/**
 * hail_sip_message_get_content_length:
 * @self: a message
 * @length: (out): the declared Content-Length
 *
 * Returns: whether Content-Length was present (a datagram may omit it)
 */
gboolean
hail_sip_message_get_content_length (const HailSipMessage *self,
                                     gsize                *length)
{
  g_return_val_if_fail (self != NULL && length != NULL, FALSE);

  *length = self->content_length;
  return (self->have & HAIL_SIP_HAVE_CL) != 0;
}

/* Returns: the number of Contact values (a `*` counts as one). */
guint
hail_sip_message_get_n_contacts (const HailSipMessage *self)
{
  HailSipHeaderIter iter;
  HailSipSpan value;
  guint n = 0;

  g_return_val_if_fail (self != NULL, 0);

  hail_sip_message_iter_init (self, &iter, "Contact");
  while (hail_sip_header_iter_next (&iter, &value))
    n++;
  return n;
}

/**
 * hail_sip_message_get_contact:
 * @self: a message
 * @index: from 0, across lines and comma lists
 * @contact: (out caller-allocates): the value
 *
 * Returns: %FALSE when there are not that many Contact values
 */
gboolean
hail_sip_message_get_contact (const HailSipMessage *self,
                              guint                 index,
                              HailSipNameAddr      *contact)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (contact != NULL, FALSE);

  if (index == 0)
    {
      *contact = self->contact;
      return (self->have & HAIL_SIP_HAVE_CONTACT) != 0;
    }
  return nth_value (self, HAIL_SIP_HEADER_CONTACT, index, contact);
}
/**
 * hail_sip_message_get_route_set:
 * @self: a message
 * @which: %HAIL_SIP_HEADER_ROUTE, %HAIL_SIP_HEADER_RECORD_ROUTE,
 *   %HAIL_SIP_HEADER_SERVICE_ROUTE or %HAIL_SIP_HEADER_PATH
 * @routes: (out caller-allocates) (array length=max_routes) (nullable): room
 *   for the values, in message order
 * @max_routes: size of @routes
 *
 * Returns: the number of values in the message, which may exceed @max_routes
 *   (then only the first @max_routes are filled)
 */
guint
hail_sip_message_get_route_set (const HailSipMessage *self,
                                HailSipHeaderId       which,
                                HailSipNameAddr      *routes,
                                guint                 max_routes)
{
  HailSipHeaderIter iter;
  HailSipSpan value;
  guint n = 0;

  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (which == HAIL_SIP_HEADER_ROUTE || which == HAIL_SIP_HEADER_RECORD_ROUTE
                        || which == HAIL_SIP_HEADER_SERVICE_ROUTE
                        || which == HAIL_SIP_HEADER_PATH, 0);
  g_return_val_if_fail (routes != NULL || max_routes == 0, 0);

  hail_sip_message_iter_init (self, &iter, hail_sip_header_get_name (which));
  while (hail_sip_header_iter_next (&iter, &value))
    {
      if (n < max_routes && !hail_sip_name_addr_parse (&routes[n], value.ptr, value.len, NULL))
        continue;
      n++;
    }
  return n;
}

/**
 * hail_sip_message_has_option:
 * @self: a message
 * @which: a list header such as %HAIL_SIP_HEADER_SUPPORTED,
 *   %HAIL_SIP_HEADER_REQUIRE or %HAIL_SIP_HEADER_ALLOW
 * @option: an option tag or method, compared ignoring ASCII case
 *
 * Returns: whether one element of the header equals @option
 */
gboolean
hail_sip_message_has_option (const HailSipMessage *self,
                             HailSipHeaderId       which,
                             const char           *option)
{
  HailSipHeaderIter iter;
  HailSipSpan value;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (which > HAIL_SIP_HEADER_OTHER && which < HAIL_SIP_HEADER_N_IDS, FALSE);
  g_return_val_if_fail (option != NULL, FALSE);

  hail_sip_message_iter_init (self, &iter, hail_sip_header_get_name (which));
  while (hail_sip_header_iter_next (&iter, &value))
    {
      if (hail_sip_span_equal_ascii_case (value, option))
        return TRUE;
    }
  return FALSE;
}
