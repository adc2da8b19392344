/* hail-sip-message.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The zero-copy message parser. A message holds one GBytes; parsing indexes
 * every header line as offsets into it in one pass, then validates the
 * headers whose grammar the stack relies on (Via, From, To, Call-ID, CSeq,
 * Contact, Route, Record-Route, Max-Forwards, Content-Length, Content-Type)
 * and caches the hot ones. The index lives in the same allocation as the
 * message, so a parse costs one allocation. Accessors are in
 * hail-sip-message-access.c.
 */
#include "config.h"

#include "hail-sip-message.h"

#include "hail-sip-private.h"

#include <string.h>

G_DEFINE_BOXED_TYPE (HailSipMessage, hail_sip_message, hail_sip_message_ref, hail_sip_message_unref)

static void
message_clear (gpointer data)
{
  HailSipMessage *self = data;

  g_clear_pointer (&self->bytes, g_bytes_unref);
}

/**
 * hail_sip_message_ref:
 * @self: a message
 *
 * Returns: (transfer full): @self with one more reference
 */
HailSipMessage *
hail_sip_message_ref (HailSipMessage *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return g_atomic_rc_box_acquire (self);
}

/**
 * hail_sip_message_unref:
 * @self: (transfer full): a message
 *
 * Drops a reference; the last one frees the message and its buffer reference.
 */
void
hail_sip_message_unref (HailSipMessage *self)
{
  g_return_if_fail (self != NULL);

  g_atomic_rc_box_release_full (self, message_clear);
}

static gboolean
line_error (GError    **error,
            gint        code,
            guint       line,
            const char *what)
{
  g_set_error (error, HAIL_SIP_ERROR, code, "line %u: %s", line, what);
  return FALSE;
}

/* "SIP" "/" 1*DIGIT "." 1*DIGIT; the name is case-insensitive (RFC 3261 §7.1).
 * Returns FALSE when malformed; *is_20 tells whether it is SIP/2.0. */
static gboolean
check_version (const char *p,
               const char *end,
               gboolean   *is_20)
{
  const char *d;

  /* What every peer sends, checked in one comparison. */
  if (end - p == 7 && memcmp (p, "SIP/2.0", 7) == 0)
    {
      *is_20 = TRUE;
      return TRUE;
    }
  if (end - p < 7 || !_hail_sip_ascii_caseeq (p, "SIP/", 4))
    return FALSE;
  p += 4;
  d = p;
  p = _hail_sip_skip_class (p, end, HAIL_SIP_C_DIGIT);
  if (p == d || p >= end || *p != '.')
    return FALSE;
  *is_20 = p - d == 1 && *d == '2';
  d = ++p;
  p = _hail_sip_skip_class (p, end, HAIL_SIP_C_DIGIT);
  if (p == d || p != end)
    return FALSE;
  *is_20 = *is_20 && p - d == 1 && *d == '0';
  return TRUE;
}

static gboolean
version_error (GError    **error,
               const char *p,
               const char *end)
{
  g_set_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_VERSION,
               "line 1: SIP version %.*s is not supported", (int) MIN (end - p, 16), p);
  return FALSE;
}

/* Status-Line = SIP-Version SP Status-Code SP Reason-Phrase. The code is
 * exactly three digits (RFC 4475 bigcode); the reason may be empty
 * (noreason) or any UTF-8 (unreason). */
static gboolean
parse_status_line (HailSipMessage  *msg,
                   const char      *p,
                   const char      *end,
                   GError         **error)
{
  const char *sp = memchr (p, ' ', (gsize) (end - p));
  gboolean is_20 = FALSE;
  guint32 status;

  if (sp == NULL || !check_version (p, sp, &is_20))
    return line_error (error, HAIL_SIP_ERROR_MALFORMED, 1, "bad status line");
  if (!is_20)
    return version_error (error, p, sp);
  p = sp + 1;
  if (end - p < 3 || !_hail_sip_parse_uint32 (p, p + 3, &status)
      || (end - p > 3 && p[3] != ' '))
    return line_error (error, HAIL_SIP_ERROR_MALFORMED, 1, "status code is not three digits");
  if (status < 100 || status > 699)
    return line_error (error, HAIL_SIP_ERROR_MALFORMED, 1, "status code out of range");
  msg->is_request = FALSE;
  msg->status = status;
  p += 3;
  /* Tolerated: a missing SP before an empty reason phrase. */
  msg->reason = p < end ? _hail_sip_span (p + 1, end) : _hail_sip_span (p, p);
  return TRUE;
}

/* Request-Line = Method SP Request-URI SP SIP-Version, with exactly one SP
 * each: doubled or trailing spaces (RFC 4475 lwsstart, trws), a bracketed
 * URI (ltgtruri), a URI with spaces (lwsruri) or with headers (escruri) are
 * rejected rather than guessed at. */
static gboolean
parse_request_line (HailSipMessage  *msg,
                    const char      *p,
                    const char      *end,
                    GError         **error)
{
  const char *start = p;
  const char *uri;
  const char *sp;
  gboolean is_20 = FALSE;
  g_autoptr(GError) local = NULL;

  p = _hail_sip_skip_class (p, end, HAIL_SIP_C_TOKEN);
  if (p == start || p >= end || *p != ' ')
    return line_error (error, HAIL_SIP_ERROR_MALFORMED, 1, "bad method in request line");
  msg->method = _hail_sip_span (start, p);
  uri = p + 1;
  sp = memchr (uri, ' ', (gsize) (end - uri));
  if (sp == NULL)
    return line_error (error, HAIL_SIP_ERROR_MALFORMED, 1, "request line has no SIP version");
  if (sp == uri)
    return line_error (error, HAIL_SIP_ERROR_MALFORMED, 1, "extra space in request line");
  if (*uri == '<')
    return line_error (error, HAIL_SIP_ERROR_MALFORMED, 1, "Request-URI must not be in <>");
  if (!check_version (sp + 1, end, &is_20))
    {
      if (memchr (sp + 1, ' ', (gsize) (end - sp - 1)) != NULL)
        return line_error (error, HAIL_SIP_ERROR_MALFORMED, 1,
                           "request line has spaces inside the Request-URI or after the version");
      return line_error (error, HAIL_SIP_ERROR_MALFORMED, 1, "bad SIP version in request line");
    }
  if (!hail_sip_uri_view_parse (&msg->request_uri_view, uri, (gsize) (sp - uri), &local))
    {
      g_set_error (error, HAIL_SIP_ERROR, local->code, "line 1: Request-URI: %s", local->message);
      return FALSE;
    }
  if (msg->request_uri_view.headers.ptr != NULL)
    return line_error (error, HAIL_SIP_ERROR_MALFORMED, 1, "Request-URI must not carry headers");
  if (!is_20)
    return version_error (error, sp + 1, end);
  msg->is_request = TRUE;
  msg->request_uri = _hail_sip_span (uri, sp);
  return TRUE;
}

/* In salvage mode only the header lines matter: the answer's status line is
 * ours. */
static void
salvage_start_line (HailSipMessage *msg,
                    const char     *p,
                    const char     *end)
{
  const char *start = p;

  msg->is_request = !(end - p >= 4 && _hail_sip_ascii_caseeq (p, "SIP/", 4));
  p = _hail_sip_skip_class (p, end, HAIL_SIP_C_TOKEN);
  msg->method = _hail_sip_span (start, p);
}

/* Call-ID = word [ "@" word ] (RFC 3261 §25.1) */
static gboolean
valid_call_id (const char *p,
               const char *end)
{
  const char *start = p;

  p = _hail_sip_skip_class (p, end, HAIL_SIP_C_WORD);
  if (p == start)
    return FALSE;
  if (p < end && *p == '@')
    {
      start = ++p;
      p = _hail_sip_skip_class (p, end, HAIL_SIP_C_WORD);
      if (p == start)
        return FALSE;
    }
  return p == end;
}

static gboolean
header_error (GError                  **error,
              GError                   *local,
              const HailSipHeaderEntry *entry,
              const HailSipMessage     *msg)
{
  const char *name = hail_sip_header_get_name (entry->id);

  g_set_error (error, HAIL_SIP_ERROR, local != NULL ? local->code : HAIL_SIP_ERROR_MALFORMED,
               "line %u: %s: %s", entry->line,
               name != NULL ? name : "header", local != NULL ? local->message : "bad value");
  g_clear_error (&local);
  return FALSE;
}

static gboolean
list_error (GError                  **error,
            const char               *what,
            const HailSipHeaderEntry *entry,
            const HailSipMessage     *msg)
{
  return header_error (error, g_error_new_literal (HAIL_SIP_ERROR, HAIL_SIP_ERROR_MALFORMED, what),
                       entry, msg);
}

/* Validates each element of a Via, Contact, Route or Record-Route header,
 * parsing them in sequence: each parser stops at the ',' that ends its
 * element, so the list is scanned once. */
static gboolean
check_list (HailSipMessage           *msg,
            const HailSipHeaderEntry *entry,
            GError                  **error)
{
  const char *p = msg->data + entry->value_off;
  const char *end = p + entry->value_len;
  GError *local = NULL;
  guint n = 0;

  if (p == end)
    return list_error (error, "empty value", entry, msg);
  for (;;)
    {
      const char *next = NULL;
      HailSipNameAddr local_addr;
      HailSipVia local_via;

      p = _hail_sip_skip_ws (p, end);
      if (p == end || *p == ',')
        return list_error (error, "empty list element", entry, msg);
      if (entry->id == HAIL_SIP_HEADER_VIA)
        {
          /* The first one is parsed straight into the cache. */
          HailSipVia *via = (msg->have & HAIL_SIP_HAVE_VIA) ? &local_via : &msg->top_via;

          if (!_hail_sip_via_parse_at (via, p, end, &next, &local))
            return header_error (error, local, entry, msg);
          msg->have |= HAIL_SIP_HAVE_VIA;
        }
      else
        {
          gboolean first = entry->id == HAIL_SIP_HEADER_CONTACT
                           && !(msg->have & HAIL_SIP_HAVE_CONTACT);
          HailSipNameAddr *addr = first ? &msg->contact : &local_addr;

          if (!_hail_sip_name_addr_parse_at (addr, p, end, TRUE, &next, &local))
            return header_error (error, local, entry, msg);
          if (addr->wildcard && (entry->id != HAIL_SIP_HEADER_CONTACT || n > 0 || next != end))
            return list_error (error, "'*' must be the only Contact", entry, msg);
          if (!addr->bracketed && !addr->wildcard && entry->id != HAIL_SIP_HEADER_CONTACT)
            return list_error (error, "route must be in <>", entry, msg);
          if (first)
            msg->have |= HAIL_SIP_HAVE_CONTACT;
        }
      n++;
      if (next == end)
        return TRUE;
      p = next + 1;
    }
}

static gboolean
check_name_addr (HailSipMessage           *msg,
                 const HailSipHeaderEntry *entry,
                 HailSipNameAddr          *cache,
                 guint                     flag,
                 GError                  **error)
{
  HailSipNameAddr local_addr;
  HailSipNameAddr *addr = (msg->have & flag) ? &local_addr : cache;
  const char *value = msg->data + entry->value_off;
  const char *next = NULL;
  GError *local = NULL;

  /* The first one is parsed straight into the cache. */
  if (!_hail_sip_name_addr_parse_at (addr, value, value + entry->value_len, FALSE, &next,
                                     &local))
    return header_error (error, local, entry, msg);
  if (addr->wildcard)
    return header_error (error, NULL, entry, msg);
  msg->have |= flag;
  return TRUE;
}

/* Validates one header of a known kind; unknown and free-text headers (Date,
 * Subject, WWW-Authenticate...) are kept as they are. */
static gboolean
check_header (HailSipMessage           *msg,
              const HailSipHeaderEntry *entry,
              gboolean                  salvage,
              GError                  **error)
{
  const char *value = msg->data + entry->value_off;
  const char *end = value + entry->value_len;
  GError *local = NULL;
  HailSipContentType ctype;
  HailSipCSeq cseq;
  guint32 n;

  switch (entry->id)
    {
    case HAIL_SIP_HEADER_VIA:
      return check_list (msg, entry, error);
    case HAIL_SIP_HEADER_FROM:
      return check_name_addr (msg, entry, &msg->from, HAIL_SIP_HAVE_FROM, error);
    case HAIL_SIP_HEADER_TO:
      return check_name_addr (msg, entry, &msg->to, HAIL_SIP_HAVE_TO, error);
    case HAIL_SIP_HEADER_CALL_ID:
      if (!valid_call_id (value, end))
        return header_error (error, g_error_new_literal (HAIL_SIP_ERROR, HAIL_SIP_ERROR_MALFORMED,
                                                         "bad Call-ID"), entry, msg);
      if (!(msg->have & HAIL_SIP_HAVE_CALL_ID))
        {
          msg->call_id = _hail_sip_span (value, end);
          msg->have |= HAIL_SIP_HAVE_CALL_ID;
        }
      return TRUE;
    case HAIL_SIP_HEADER_CSEQ:
      if (!hail_sip_cseq_parse (&cseq, value, entry->value_len, &local))
        return header_error (error, local, entry, msg);
      if (!(msg->have & HAIL_SIP_HAVE_CSEQ))
        {
          msg->cseq = cseq;
          msg->have |= HAIL_SIP_HAVE_CSEQ;
        }
      return TRUE;
    default:
      break;
    }

  if (salvage)
    return TRUE;

  switch (entry->id)
    {
    case HAIL_SIP_HEADER_CONTACT:
    case HAIL_SIP_HEADER_ROUTE:
    case HAIL_SIP_HEADER_RECORD_ROUTE:
      return check_list (msg, entry, error);
    case HAIL_SIP_HEADER_MAX_FORWARDS:
      /* An overlarge value is read as absent later (RFC 4475 scalar02). */
      if (value == end || _hail_sip_skip_class (value, end, HAIL_SIP_C_DIGIT) != end)
        return header_error (error, g_error_new_literal (HAIL_SIP_ERROR, HAIL_SIP_ERROR_MALFORMED,
                                                         "not a number"), entry, msg);
      return TRUE;
    case HAIL_SIP_HEADER_CONTENT_LENGTH:
      /* RFC 4475 ncl, mcl01: a negative, non-numeric, overlarge or
       * contradicting length loses the framing. */
      if (!_hail_sip_parse_uint32 (value, end, &n))
        return header_error (error, g_error_new_literal (HAIL_SIP_ERROR, HAIL_SIP_ERROR_MALFORMED,
                                                         "not a valid length"), entry, msg);
      if ((msg->have & HAIL_SIP_HAVE_CL) && msg->content_length != n)
        return header_error (error, g_error_new_literal (HAIL_SIP_ERROR, HAIL_SIP_ERROR_MALFORMED,
                                                         "two different lengths"), entry, msg);
      msg->content_length = n;
      msg->have |= HAIL_SIP_HAVE_CL;
      return TRUE;
    case HAIL_SIP_HEADER_CONTENT_TYPE:
      if (!hail_sip_content_type_parse (&ctype, value, entry->value_len, &local))
        return header_error (error, local, entry, msg);
      return TRUE;
    default:
      return TRUE;
    }
}

/* Trims LWS around a value, including the CRLF of folded lines. */
static void
finish_entry (HailSipHeaderEntry *entry,
              const char         *data,
              const char         *value_end)
{
  const char *a = data + entry->value_off;
  const char *b = value_end;

  a = _hail_sip_skip_ws (a, b);
  while (b > a && _hail_sip_is (b[-1], HAIL_SIP_C_WS))
    b--;
  entry->value_off = (guint32) (a - data);
  entry->value_len = (guint32) (b - a);
}

/* The header index while scanning: on the stack for usual messages, on the
 * heap past that, never larger than the configured limit. */
typedef struct {
  HailSipHeaderEntry  stack[48];
  HailSipHeaderEntry *entries;
  guint               n;
  guint               capacity;
  guint               max;
} Index;

static void
index_init (Index *index,
            guint  max)
{
  index->entries = index->stack;
  index->n = 0;
  index->capacity = G_N_ELEMENTS (index->stack);
  index->max = max;
}

static void
index_clear (Index *index)
{
  if (index->entries != index->stack)
    g_free (index->entries);
}

static HailSipHeaderEntry *
index_add (Index *index)
{
  if (index->n == index->capacity)
    {
      guint capacity = MIN (index->capacity * 2, index->max);

      if (index->entries == index->stack)
        index->entries = g_memdup2 (index->stack, sizeof index->stack);
      index->entries = g_renew (HailSipHeaderEntry, index->entries, capacity);
      index->capacity = capacity;
    }
  return &index->entries[index->n++];
}

/* One pass over the header section: finds the end of the start line and
 * the empty line, and indexes every header line on the way (folded lines
 * extend the previous header). *body_off stays 0 when the empty line is not
 * within @limit; a line that can never be valid fails unless salvaging. */
static gboolean
scan_headers (const char   *data,
              const char   *end,
              const char   *limit,
              gboolean      salvage,
              Index        *index,
              const char  **line1_end,
              gsize        *body_off,
              GError      **error)
{
  const char *p = data;
  const char *nl = memchr (p, '\n', (gsize) (limit - p));
  HailSipHeaderEntry *cur = NULL;
  const char *cur_end = NULL;
  guint line = 1;

  *body_off = 0;
  *line1_end = NULL;
  if (nl == NULL)
    return TRUE;
  *line1_end = nl > p && nl[-1] == '\r' ? nl - 1 : nl;
  /* nl is end only for the last line of a salvaged datagram. */
  for (p = nl + 1; p < end; p = nl < end ? nl + 1 : end)
    {
      const char *le;
      const char *name = p;
      const char *name_end;
      const char *q;

      if (*p == '\n' || (*p == '\r' && end - p >= 2 && p[1] == '\n'))
        {
          *body_off = (gsize) (p + (*p == '\n' ? 1 : 2) - data);
          break;
        }
      if (*p == '\r' && end - p < 2)
        break;
      nl = p < limit ? memchr (p, '\n', (gsize) (limit - p)) : NULL;
      if (nl == NULL)
        {
          /* A salvaged datagram may end without an empty line. */
          if (!salvage || limit < end)
            break;
          nl = end;
        }
      le = nl > p && nl[-1] == '\r' ? nl - 1 : nl;
      line++;

      if (*p == ' ' || *p == '\t')
        {
          /* A folded line continues the previous header (RFC 3261 §7.3.1). */
          if (cur == NULL && !salvage)
            return line_error (error, HAIL_SIP_ERROR_MALFORMED, line,
                               "continuation line before any header");
          if (cur != NULL)
            cur_end = le;
          continue;
        }

      if (cur != NULL)
        finish_entry (cur, data, cur_end);
      cur = NULL;
      q = name_end = _hail_sip_skip_class (p, le, HAIL_SIP_C_TOKEN);
      while (q < le && (*q == ' ' || *q == '\t'))
        q++;
      if (q == name || name_end - name > G_MAXUINT16 || q >= le || *q != ':')
        {
          if (salvage)
            continue;
          return line_error (error, HAIL_SIP_ERROR_MALFORMED, line,
                             q == name ? "bad header name" : "header line without ':'");
        }
      if (index->n >= index->max)
        {
          if (salvage)
            break;
          g_set_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_TOO_LARGE,
                       "line %u: more than %u headers", line, index->max);
          return FALSE;
        }
      cur = index_add (index);
      cur->name_off = (guint32) (name - data);
      cur->name_len = (guint16) (name_end - name);
      cur->id = (guint16) _hail_sip_header_lookup_token (name, cur->name_len);
      cur->value_off = (guint32) (q + 1 - data);
      cur->line = line;
      cur_end = le;
    }
  if (cur != NULL)
    finish_entry (cur, data, cur_end);
  return TRUE;
}

static gboolean
parse_error (GError   **error,
             gint       code,
             const char *what)
{
  g_set_error_literal (error, HAIL_SIP_ERROR, code, what);
  return FALSE;
}

static gboolean
parse_start_line (HailSipMessage  *msg,
                  const char      *start,
                  const char      *le,
                  gboolean         salvage,
                  GError         **error)
{
  if (salvage)
    {
      salvage_start_line (msg, start, le);
      return TRUE;
    }
  if (memchr (start, '\r', (gsize) (le - start)) != NULL)
    return line_error (error, HAIL_SIP_ERROR_MALFORMED, 1, "stray CR in start line");
  if (le - start >= 4 && _hail_sip_ascii_caseeq (start, "SIP/", 4))
    return parse_status_line (msg, start, le, error);
  return parse_request_line (msg, start, le, error);
}

/* Validates the indexed headers and frames the body. */
static gboolean
parse_into (HailSipMessage      *msg,
            const char          *end,
            gsize                body_off,
            HailSipParseMode     mode,
            const HailSipLimits *limits,
            gboolean             salvage,
            GError             **error)
{
  const char *body = msg->data + body_off;
  gsize avail;

  memset (msg->first, 0xff, sizeof msg->first);
  for (guint i = 0; i < msg->n_headers; i++)
    {
      const HailSipHeaderEntry *entry = &msg->headers[i];

      if (msg->first[entry->id] == HAIL_SIP_NO_HEADER)
        msg->first[entry->id] = (guint16) i;
      if (entry->id != HAIL_SIP_HEADER_OTHER && !check_header (msg, entry, salvage, error))
        return FALSE;
    }

  avail = (gsize) (end - body);
  if (salvage)
    {
      msg->body = _hail_sip_span (body, body);
      msg->size = body_off;
      return TRUE;
    }
  if (body_off > limits->max_message_size)
    return parse_error (error, HAIL_SIP_ERROR_TOO_LARGE, "header section passes the size limit");
  if (msg->have & HAIL_SIP_HAVE_CL)
    {
      if (msg->content_length > limits->max_message_size - body_off)
        {
          g_set_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_TOO_LARGE,
                       "Content-Length %" G_GSIZE_FORMAT " passes the %" G_GSIZE_FORMAT
                       "-byte limit", msg->content_length, limits->max_message_size);
          return FALSE;
        }
      if (msg->content_length > avail)
        {
          if (mode == HAIL_SIP_PARSE_STREAM)
            return parse_error (error, HAIL_SIP_ERROR_INCOMPLETE, "body incomplete");
          g_set_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_MALFORMED,
                       "Content-Length %" G_GSIZE_FORMAT " is more than the %" G_GSIZE_FORMAT
                       " body bytes received", msg->content_length, avail);
          return FALSE;
        }
      avail = msg->content_length;
    }
  else if (mode == HAIL_SIP_PARSE_STREAM)
    return parse_error (error, HAIL_SIP_ERROR_MALFORMED,
                        "no Content-Length in a message from a stream");
  else if (avail > limits->max_message_size - body_off)
    return parse_error (error, HAIL_SIP_ERROR_TOO_LARGE, "message too large");
  msg->body = _hail_sip_span (body, body + avail);
  msg->size = body_off + avail;
  return TRUE;
}

HailSipMessage *
_hail_sip_message_parse_full (GBytes              *bytes,
                              HailSipParseMode     mode,
                              const HailSipLimits *limits,
                              HailSipParseFlags    flags,
                              gsize               *consumed,
                              GError             **error)
{
  gboolean salvage = (flags & HAIL_SIP_PARSE_FLAG_SALVAGE) != 0;
  HailSipLimits defaults;
  gsize total = 0;
  const char *data = g_bytes_get_data (bytes, &total);
  const char *end;
  const char *start;
  const char *limit;
  const char *line1_end = NULL;
  HailSipMessage *msg;
  gsize body_off = 0;
  Index index;

  if (limits == NULL)
    {
      hail_sip_limits_init (&defaults);
      limits = &defaults;
    }
  /* An empty GBytes may have no data pointer at all. */
  if (data == NULL)
    data = "";
  start = data;
  end = data + total;

  /* RFC 3261 §7.5: CRLFs before the start line are keep-alives. */
  while (start < end && (*start == '\r' || *start == '\n'))
    start++;
  if (start == end)
    {
      parse_error (error, mode == HAIL_SIP_PARSE_STREAM ? HAIL_SIP_ERROR_INCOMPLETE
                   : HAIL_SIP_ERROR_MALFORMED, "no message");
      return NULL;
    }

  limit = (gsize) (end - start) > limits->max_message_size ? start + limits->max_message_size
          : end;
  index_init (&index, MIN (limits->max_headers, HAIL_SIP_MAX_HEADERS_CEILING));
  if (!scan_headers (start, end, limit, salvage, &index, &line1_end, &body_off, error))
    {
      index_clear (&index);
      return NULL;
    }
  if (body_off == 0)
    {
      /* Salvaging reads what it can, up to the limit, to answer 400 or 513. */
      if (salvage)
        body_off = (gsize) (limit - start);
      else if (limit < end)
        parse_error (error, HAIL_SIP_ERROR_TOO_LARGE, "header section passes the size limit");
      else if (mode == HAIL_SIP_PARSE_STREAM)
        parse_error (error, HAIL_SIP_ERROR_INCOMPLETE, "header section incomplete");
      else
        parse_error (error, HAIL_SIP_ERROR_MALFORMED, "no empty line ends the header section");
      if (body_off == 0)
        {
          index_clear (&index);
          return NULL;
        }
      if (line1_end == NULL)
        line1_end = limit;
    }

  msg = g_atomic_rc_box_alloc0 (sizeof (HailSipMessage) + index.n * sizeof (HailSipHeaderEntry));
  msg->bytes = g_bytes_ref (bytes);
  msg->data = start;
  msg->n_headers = index.n;
  memcpy (msg->headers, index.entries, index.n * sizeof (HailSipHeaderEntry));
  index_clear (&index);
  if (!parse_start_line (msg, start, line1_end, salvage, error)
      || !parse_into (msg, end, body_off, mode, limits, salvage, error))
    {
      hail_sip_message_unref (msg);
      return NULL;
    }
  if (consumed != NULL)
    *consumed = (gsize) (start - data) + msg->size;
  return msg;
}

/**
 * hail_sip_message_parse:
 * @bytes: the received bytes
 * @mode: datagram or stream
 * @limits: (nullable): bounds, or %NULL for the defaults
 * @consumed: (out) (optional): bytes used, including CRLF keep-alives before
 *   the message; in stream mode the next message starts there
 * @error: return location for a #GError
 *
 * Parses one request or response. The message keeps a reference to @bytes
 * and every span it returns points into them. Fails with
 * %HAIL_SIP_ERROR_INCOMPLETE (stream mode: wait for more bytes),
 * %HAIL_SIP_ERROR_MALFORMED, %HAIL_SIP_ERROR_TOO_LARGE or
 * %HAIL_SIP_ERROR_VERSION, with a message naming the line and the problem.
 *
 * Returns: (transfer full) (nullable): the message, or %NULL with @error set
 */
HailSipMessage *
hail_sip_message_parse (GBytes               *bytes,
                        HailSipParseMode      mode,
                        const HailSipLimits  *limits,
                        gsize                *consumed,
                        GError              **error)
{
  g_return_val_if_fail (bytes != NULL, NULL);
  g_return_val_if_fail (mode == HAIL_SIP_PARSE_DATAGRAM || mode == HAIL_SIP_PARSE_STREAM, NULL);
  g_return_val_if_fail (limits == NULL || limits->max_message_size <=
                        HAIL_SIP_MAX_MESSAGE_SIZE_CEILING, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return _hail_sip_message_parse_full (bytes, mode, limits, HAIL_SIP_PARSE_FLAG_NONE, consumed,
                                       error);
}

/**
 * hail_sip_message_parse_data:
 * @data: the received bytes
 * @len: their number
 * @mode: datagram or stream
 * @error: return location for a #GError
 *
 * Like hail_sip_message_parse() with default limits, on a copy of @data.
 *
 * Returns: (transfer full) (nullable): the message, or %NULL with @error set
 */
HailSipMessage *
hail_sip_message_parse_data (const char        *data,
                             gsize              len,
                             HailSipParseMode   mode,
                             GError           **error)
{
  g_autoptr(GBytes) bytes = NULL;

  g_return_val_if_fail (data != NULL || len == 0, NULL);

  bytes = g_bytes_new (data, len);
  return hail_sip_message_parse (bytes, mode, NULL, NULL, error);
}
