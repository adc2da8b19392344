/* hail-sip-header.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Header names (long and compact forms), generic parameters, comma lists and
 * the small typed values: CSeq, Content-Type, delta-seconds. Via and the
 * name-addr family are in hail-sip-header-addr.c.
 */
#include "config.h"

#include "hail-sip-header.h"

#include "hail-sip-limits.h"
#include "hail-sip-private.h"

#include <string.h>

static const char * const header_names[HAIL_SIP_HEADER_N_IDS] = {
  [HAIL_SIP_HEADER_OTHER] = NULL,
  [HAIL_SIP_HEADER_ACCEPT] = "Accept",
  [HAIL_SIP_HEADER_ACCEPT_CONTACT] = "Accept-Contact",
  [HAIL_SIP_HEADER_ACCEPT_ENCODING] = "Accept-Encoding",
  [HAIL_SIP_HEADER_ACCEPT_LANGUAGE] = "Accept-Language",
  [HAIL_SIP_HEADER_ALERT_INFO] = "Alert-Info",
  [HAIL_SIP_HEADER_ALLOW] = "Allow",
  [HAIL_SIP_HEADER_ALLOW_EVENTS] = "Allow-Events",
  [HAIL_SIP_HEADER_AUTHENTICATION_INFO] = "Authentication-Info",
  [HAIL_SIP_HEADER_AUTHORIZATION] = "Authorization",
  [HAIL_SIP_HEADER_CALL_ID] = "Call-ID",
  [HAIL_SIP_HEADER_CALL_INFO] = "Call-Info",
  [HAIL_SIP_HEADER_CONTACT] = "Contact",
  [HAIL_SIP_HEADER_CONTENT_DISPOSITION] = "Content-Disposition",
  [HAIL_SIP_HEADER_CONTENT_ENCODING] = "Content-Encoding",
  [HAIL_SIP_HEADER_CONTENT_LANGUAGE] = "Content-Language",
  [HAIL_SIP_HEADER_CONTENT_LENGTH] = "Content-Length",
  [HAIL_SIP_HEADER_CONTENT_TYPE] = "Content-Type",
  [HAIL_SIP_HEADER_CSEQ] = "CSeq",
  [HAIL_SIP_HEADER_DATE] = "Date",
  [HAIL_SIP_HEADER_ERROR_INFO] = "Error-Info",
  [HAIL_SIP_HEADER_EVENT] = "Event",
  [HAIL_SIP_HEADER_EXPIRES] = "Expires",
  [HAIL_SIP_HEADER_FROM] = "From",
  [HAIL_SIP_HEADER_IDENTITY] = "Identity",
  [HAIL_SIP_HEADER_IN_REPLY_TO] = "In-Reply-To",
  [HAIL_SIP_HEADER_MAX_FORWARDS] = "Max-Forwards",
  [HAIL_SIP_HEADER_MIME_VERSION] = "MIME-Version",
  [HAIL_SIP_HEADER_MIN_EXPIRES] = "Min-Expires",
  [HAIL_SIP_HEADER_MIN_SE] = "Min-SE",
  [HAIL_SIP_HEADER_ORGANIZATION] = "Organization",
  [HAIL_SIP_HEADER_PATH] = "Path",
  [HAIL_SIP_HEADER_PRIORITY] = "Priority",
  [HAIL_SIP_HEADER_PROXY_AUTHENTICATE] = "Proxy-Authenticate",
  [HAIL_SIP_HEADER_PROXY_AUTHORIZATION] = "Proxy-Authorization",
  [HAIL_SIP_HEADER_PROXY_REQUIRE] = "Proxy-Require",
  [HAIL_SIP_HEADER_RACK] = "RAck",
  [HAIL_SIP_HEADER_REASON] = "Reason",
  [HAIL_SIP_HEADER_RECORD_ROUTE] = "Record-Route",
  [HAIL_SIP_HEADER_REFER_TO] = "Refer-To",
  [HAIL_SIP_HEADER_REFERRED_BY] = "Referred-By",
  [HAIL_SIP_HEADER_REJECT_CONTACT] = "Reject-Contact",
  [HAIL_SIP_HEADER_REPLY_TO] = "Reply-To",
  [HAIL_SIP_HEADER_REQUEST_DISPOSITION] = "Request-Disposition",
  [HAIL_SIP_HEADER_REQUIRE] = "Require",
  [HAIL_SIP_HEADER_RETRY_AFTER] = "Retry-After",
  [HAIL_SIP_HEADER_ROUTE] = "Route",
  [HAIL_SIP_HEADER_RSEQ] = "RSeq",
  [HAIL_SIP_HEADER_SERVER] = "Server",
  [HAIL_SIP_HEADER_SERVICE_ROUTE] = "Service-Route",
  [HAIL_SIP_HEADER_SESSION_EXPIRES] = "Session-Expires",
  [HAIL_SIP_HEADER_SUBJECT] = "Subject",
  [HAIL_SIP_HEADER_SUBSCRIPTION_STATE] = "Subscription-State",
  [HAIL_SIP_HEADER_SUPPORTED] = "Supported",
  [HAIL_SIP_HEADER_TIMESTAMP] = "Timestamp",
  [HAIL_SIP_HEADER_TO] = "To",
  [HAIL_SIP_HEADER_UNSUPPORTED] = "Unsupported",
  [HAIL_SIP_HEADER_USER_AGENT] = "User-Agent",
  [HAIL_SIP_HEADER_VIA] = "Via",
  [HAIL_SIP_HEADER_WARNING] = "Warning",
  [HAIL_SIP_HEADER_WWW_AUTHENTICATE] = "WWW-Authenticate",
};

/* Headers whose value is a comma-separated list (RFC 3261 §7.3.1). */
static const guint8 header_is_list[HAIL_SIP_HEADER_N_IDS] = {
  [HAIL_SIP_HEADER_ACCEPT] = 1,
  [HAIL_SIP_HEADER_ACCEPT_CONTACT] = 1,
  [HAIL_SIP_HEADER_ACCEPT_ENCODING] = 1,
  [HAIL_SIP_HEADER_ACCEPT_LANGUAGE] = 1,
  [HAIL_SIP_HEADER_ALERT_INFO] = 1,
  [HAIL_SIP_HEADER_ALLOW] = 1,
  [HAIL_SIP_HEADER_ALLOW_EVENTS] = 1,
  [HAIL_SIP_HEADER_CALL_INFO] = 1,
  [HAIL_SIP_HEADER_CONTACT] = 1,
  [HAIL_SIP_HEADER_CONTENT_ENCODING] = 1,
  [HAIL_SIP_HEADER_CONTENT_LANGUAGE] = 1,
  [HAIL_SIP_HEADER_ERROR_INFO] = 1,
  [HAIL_SIP_HEADER_IN_REPLY_TO] = 1,
  [HAIL_SIP_HEADER_PATH] = 1,
  [HAIL_SIP_HEADER_PROXY_REQUIRE] = 1,
  [HAIL_SIP_HEADER_REASON] = 1,
  [HAIL_SIP_HEADER_RECORD_ROUTE] = 1,
  [HAIL_SIP_HEADER_REJECT_CONTACT] = 1,
  [HAIL_SIP_HEADER_REQUEST_DISPOSITION] = 1,
  [HAIL_SIP_HEADER_REQUIRE] = 1,
  [HAIL_SIP_HEADER_ROUTE] = 1,
  [HAIL_SIP_HEADER_SERVICE_ROUTE] = 1,
  [HAIL_SIP_HEADER_SUPPORTED] = 1,
  [HAIL_SIP_HEADER_UNSUPPORTED] = 1,
  [HAIL_SIP_HEADER_VIA] = 1,
  [HAIL_SIP_HEADER_WARNING] = 1,
};

/* Compact forms (RFC 3261 §7.3.3, RFC 3515, RFC 3841, RFC 4028, RFC 4474). */
static const guint8 compact_ids[26] = {
  ['a' - 'a'] = HAIL_SIP_HEADER_ACCEPT_CONTACT,
  ['u' - 'a'] = HAIL_SIP_HEADER_ALLOW_EVENTS,
  ['i' - 'a'] = HAIL_SIP_HEADER_CALL_ID,
  ['m' - 'a'] = HAIL_SIP_HEADER_CONTACT,
  ['e' - 'a'] = HAIL_SIP_HEADER_CONTENT_ENCODING,
  ['l' - 'a'] = HAIL_SIP_HEADER_CONTENT_LENGTH,
  ['c' - 'a'] = HAIL_SIP_HEADER_CONTENT_TYPE,
  ['o' - 'a'] = HAIL_SIP_HEADER_EVENT,
  ['f' - 'a'] = HAIL_SIP_HEADER_FROM,
  ['y' - 'a'] = HAIL_SIP_HEADER_IDENTITY,
  ['r' - 'a'] = HAIL_SIP_HEADER_REFER_TO,
  ['b' - 'a'] = HAIL_SIP_HEADER_REFERRED_BY,
  ['j' - 'a'] = HAIL_SIP_HEADER_REJECT_CONTACT,
  ['d' - 'a'] = HAIL_SIP_HEADER_REQUEST_DISPOSITION,
  ['x' - 'a'] = HAIL_SIP_HEADER_SESSION_EXPIRES,
  ['s' - 'a'] = HAIL_SIP_HEADER_SUBJECT,
  ['k' - 'a'] = HAIL_SIP_HEADER_SUPPORTED,
  ['t' - 'a'] = HAIL_SIP_HEADER_TO,
  ['v' - 'a'] = HAIL_SIP_HEADER_VIA,
};

/* A perfect hash of the long names, generated for this table: length, first,
 * middle and last letter pick one slot, and a full comparison confirms. */
#define HASH(len, first, mid, last) (((len) * 32u + (first) * 21u + (mid) * 3u + (last)) & 255u)

static const struct { const char *lower; guint8 len; guint8 id; } header_hash[256] = {
  [1] = { "subject", 7, HAIL_SIP_HEADER_SUBJECT },
  [3] = { "server", 6, HAIL_SIP_HEADER_SERVER },
  [13] = { "proxy-authenticate", 18, HAIL_SIP_HEADER_PROXY_AUTHENTICATE },
  [14] = { "mime-version", 12, HAIL_SIP_HEADER_MIME_VERSION },
  [23] = { "allow-events", 12, HAIL_SIP_HEADER_ALLOW_EVENTS },
  [31] = { "refer-to", 8, HAIL_SIP_HEADER_REFER_TO },
  [40] = { "content-disposition", 19, HAIL_SIP_HEADER_CONTENT_DISPOSITION },
  [43] = { "alert-info", 10, HAIL_SIP_HEADER_ALERT_INFO },
  [44] = { "min-expires", 11, HAIL_SIP_HEADER_MIN_EXPIRES },
  [52] = { "reply-to", 8, HAIL_SIP_HEADER_REPLY_TO },
  [53] = { "call-info", 9, HAIL_SIP_HEADER_CALL_INFO },
  [54] = { "proxy-authorization", 19, HAIL_SIP_HEADER_PROXY_AUTHORIZATION },
  [58] = { "max-forwards", 12, HAIL_SIP_HEADER_MAX_FORWARDS },
  [62] = { "authorization", 13, HAIL_SIP_HEADER_AUTHORIZATION },
  [63] = { "cseq", 4, HAIL_SIP_HEADER_CSEQ },
  [64] = { "supported", 9, HAIL_SIP_HEADER_SUPPORTED },
  [73] = { "session-expires", 15, HAIL_SIP_HEADER_SESSION_EXPIRES },
  [79] = { "subscription-state", 18, HAIL_SIP_HEADER_SUBSCRIPTION_STATE },
  [80] = { "allow", 5, HAIL_SIP_HEADER_ALLOW },
  [82] = { "accept-contact", 14, HAIL_SIP_HEADER_ACCEPT_CONTACT },
  [84] = { "warning", 7, HAIL_SIP_HEADER_WARNING },
  [87] = { "www-authenticate", 16, HAIL_SIP_HEADER_WWW_AUTHENTICATE },
  [88] = { "accept", 6, HAIL_SIP_HEADER_ACCEPT },
  [96] = { "content-type", 12, HAIL_SIP_HEADER_CONTENT_TYPE },
  [99] = { "request-disposition", 19, HAIL_SIP_HEADER_REQUEST_DISPOSITION },
  [107] = { "accept-encoding", 15, HAIL_SIP_HEADER_ACCEPT_ENCODING },
  [109] = { "timestamp", 9, HAIL_SIP_HEADER_TIMESTAMP },
  [110] = { "rack", 4, HAIL_SIP_HEADER_RACK },
  [112] = { "user-agent", 10, HAIL_SIP_HEADER_USER_AGENT },
  [114] = { "identity", 8, HAIL_SIP_HEADER_IDENTITY },
  [116] = { "path", 4, HAIL_SIP_HEADER_PATH },
  [117] = { "date", 4, HAIL_SIP_HEADER_DATE },
  [119] = { "organization", 12, HAIL_SIP_HEADER_ORGANIZATION },
  [122] = { "rseq", 4, HAIL_SIP_HEADER_RSEQ },
  [126] = { "accept-language", 15, HAIL_SIP_HEADER_ACCEPT_LANGUAGE },
  [127] = { "error-info", 10, HAIL_SIP_HEADER_ERROR_INFO },
  [128] = { "to", 2, HAIL_SIP_HEADER_TO },
  [137] = { "referred-by", 11, HAIL_SIP_HEADER_REFERRED_BY },
  [139] = { "proxy-require", 13, HAIL_SIP_HEADER_PROXY_REQUIRE },
  [140] = { "event", 5, HAIL_SIP_HEADER_EVENT },
  [152] = { "from", 4, HAIL_SIP_HEADER_FROM },
  [157] = { "min-se", 6, HAIL_SIP_HEADER_MIN_SE },
  [163] = { "service-route", 13, HAIL_SIP_HEADER_SERVICE_ROUTE },
  [167] = { "call-id", 7, HAIL_SIP_HEADER_CALL_ID },
  [170] = { "via", 3, HAIL_SIP_HEADER_VIA },
  [173] = { "unsupported", 11, HAIL_SIP_HEADER_UNSUPPORTED },
  [179] = { "retry-after", 11, HAIL_SIP_HEADER_RETRY_AFTER },
  [181] = { "content-encoding", 16, HAIL_SIP_HEADER_CONTENT_ENCODING },
  [183] = { "reject-contact", 14, HAIL_SIP_HEADER_REJECT_CONTACT },
  [188] = { "in-reply-to", 11, HAIL_SIP_HEADER_IN_REPLY_TO },
  [190] = { "route", 5, HAIL_SIP_HEADER_ROUTE },
  [198] = { "record-route", 12, HAIL_SIP_HEADER_RECORD_ROUTE },
  [200] = { "content-language", 16, HAIL_SIP_HEADER_CONTENT_LANGUAGE },
  [206] = { "content-length", 14, HAIL_SIP_HEADER_CONTENT_LENGTH },
  [207] = { "contact", 7, HAIL_SIP_HEADER_CONTACT },
  [215] = { "expires", 7, HAIL_SIP_HEADER_EXPIRES },
  [225] = { "reason", 6, HAIL_SIP_HEADER_REASON },
  [231] = { "authentication-info", 19, HAIL_SIP_HEADER_AUTHENTICATION_INFO },
  [254] = { "require", 7, HAIL_SIP_HEADER_REQUIRE },
  [255] = { "priority", 8, HAIL_SIP_HEADER_PRIORITY },
};

/* Looks up a long name. OR-ing 0x20 folds letters; the other characters of
 * known names ('-') only collide with CR, which is not a token character. */
static HailSipHeaderId
lookup_long (const char *name,
             gsize       len)
{
  const char *lower;
  guint h;

  if (len < 2 || len > 32)
    return HAIL_SIP_HEADER_OTHER;
  h = HASH ((guint) len, (guint8) (name[0] | 0x20), (guint8) (name[len / 2] | 0x20),
            (guint8) (name[len - 1] | 0x20));
  if (header_hash[h].len != len)
    return HAIL_SIP_HEADER_OTHER;
  lower = header_hash[h].lower;
  return _hail_sip_fold_eq (name, lower, len) ? header_hash[h].id : HAIL_SIP_HEADER_OTHER;
}


/**
 * hail_sip_header_lookup:
 * @name: a header name, long or compact, in any case
 * @len: its length
 *
 * Returns: the id of a known header, %HAIL_SIP_HEADER_OTHER otherwise
 */
HailSipHeaderId
hail_sip_header_lookup (const char *name,
                        gsize       len)
{
  g_return_val_if_fail (name != NULL || len == 0, HAIL_SIP_HEADER_OTHER);

  if (len == 1)
    {
      char c = _hail_sip_lower (name[0]);

      return c >= 'a' && c <= 'z' ? compact_ids[c - 'a'] : HAIL_SIP_HEADER_OTHER;
    }
  if (len == 0 || _hail_sip_skip_class (name, name + len, HAIL_SIP_C_TOKEN) != name + len)
    return HAIL_SIP_HEADER_OTHER;
  return lookup_long (name, len);
}

/* hail_sip_header_lookup() for a name the indexer already knows is a token. */
HailSipHeaderId
_hail_sip_header_lookup_token (const char *name,
                               gsize       len)
{
  if (len == 1)
    {
      char c = (char) (name[0] | 0x20);

      return c >= 'a' && c <= 'z' ? compact_ids[c - 'a'] : HAIL_SIP_HEADER_OTHER;
    }
  return lookup_long (name, len);
}

/**
 * hail_sip_header_get_name:
 * @id: a header id
 *
 * Returns: (nullable): the canonical long name, %NULL for %HAIL_SIP_HEADER_OTHER
 */
const char *
hail_sip_header_get_name (HailSipHeaderId id)
{
  g_return_val_if_fail (id < HAIL_SIP_HEADER_N_IDS, NULL);

  return header_names[id];
}

/* Returns: whether a header's value is a comma-separated list. */
gboolean
hail_sip_header_is_list (HailSipHeaderId id)
{
  g_return_val_if_fail (id < HAIL_SIP_HEADER_N_IDS, FALSE);

  return header_is_list[id] != 0;
}

/**
 * hail_sip_header_is_single:
 * @id: a header id
 *
 * Returns: whether a message may carry the header at most once (RFC 3261
 *   §20, RFC 4475 multi01): Call-ID, CSeq, From, To, Max-Forwards,
 *   Content-Length, Content-Type, Expires...
 */
gboolean
hail_sip_header_is_single (HailSipHeaderId id)
{
  switch (id)
    {
    case HAIL_SIP_HEADER_CALL_ID:
    case HAIL_SIP_HEADER_CONTENT_LENGTH:
    case HAIL_SIP_HEADER_CONTENT_TYPE:
    case HAIL_SIP_HEADER_CSEQ:
    case HAIL_SIP_HEADER_EXPIRES:
    case HAIL_SIP_HEADER_FROM:
    case HAIL_SIP_HEADER_MAX_FORWARDS:
    case HAIL_SIP_HEADER_MIN_EXPIRES:
    case HAIL_SIP_HEADER_RACK:
    case HAIL_SIP_HEADER_RSEQ:
    case HAIL_SIP_HEADER_SESSION_EXPIRES:
    case HAIL_SIP_HEADER_TO:
      return TRUE;
    default:
      return FALSE;
    }
}

/* Finds the next comma that separates list elements: not inside a
 * quoted-string or <...>. Returns @end when there is none. */
const char *
_hail_sip_next_comma (const char *p,
                      const char *end)
{
  while (p < end)
    {
      switch (*p)
        {
        case ',':
          return p;
        case '"':
          p = _hail_sip_scan_quoted (p, end);
          if (p == NULL)
            return end;
          break;
        case '<':
          p = memchr (p, '>', (gsize) (end - p));
          if (p == NULL)
            return end;
          p++;
          break;
        default:
          p++;
          break;
        }
    }
  return end;
}

static gboolean
param_error (GError    **error,
             const char *what)
{
  g_set_error_literal (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_MALFORMED, what);
  return FALSE;
}

/* Scans gen-value = token / host / quoted-string (RFC 3261 §25.1). */
static const char *
scan_gen_value (const char *p,
                const char *end)
{
  if (p >= end)
    return NULL;
  if (*p == '"')
    return _hail_sip_scan_quoted (p, end);
  if (*p == '[')
    {
      const char *q = p + 1;

      while (q < end && (_hail_sip_is (*q, HAIL_SIP_C_HEX) || *q == ':' || *q == '.'))
        q++;
      return q < end && *q == ']' ? q + 1 : NULL;
    }
  p = _hail_sip_skip_class (p, end, HAIL_SIP_C_TOKEN);
  return p;
}

/* Parses *( SEMI generic-param ) starting at *pp and validates it. The span
 * starts at the first ';'. An empty parameter (";;") is tolerated only when a
 * real parameter follows in the same list: real traffic has ";;branch=" and
 * ";;tag=", but RFC 4475 badinv01's trailing ";;,;,," must be rejected. */
gboolean
_hail_sip_parse_params (const char       **pp,
                        const char        *end,
                        HailSipSpan       *params,
                        HailSipParamSpan  *cache,
                        guint             *n_params,
                        GError           **error)
{
  const char *p = _hail_sip_skip_ws (*pp, end);
  const char *last = p;
  guint empty = 0;
  guint n = 0;

  *params = HAIL_SIP_SPAN_NONE;
  if (n_params != NULL)
    *n_params = 0;
  if (p >= end || *p != ';')
    {
      *pp = p;
      return TRUE;
    }
  params->ptr = p;
  while (p < end && *p == ';')
    {
      const char *name;
      const char *q;

      p = _hail_sip_skip_ws (p + 1, end);
      if (p >= end || *p == ';' || *p == ',')
        {
          empty++;
          continue;
        }
      name = p;
      p = _hail_sip_skip_class (p, end, HAIL_SIP_C_TOKEN);
      if (p == name)
        return param_error (error, "bad parameter name");
      last = p;
      if (cache != NULL && n < HAIL_SIP_PARAM_CACHE)
        {
          cache[n].name = _hail_sip_span (name, p);
          cache[n].value = HAIL_SIP_SPAN_NONE;
        }
      q = p < end && *p == '=' ? p : _hail_sip_skip_ws (p, end);
      if (q < end && *q == '=')
        {
          q = _hail_sip_skip_ws (q + 1, end);
          p = scan_gen_value (q, end);
          if (p == NULL)
            return param_error (error, "unterminated parameter value");
          if (p == q)
            return param_error (error, "parameter without value after '='");
          last = p;
          if (cache != NULL && n < HAIL_SIP_PARAM_CACHE)
            cache[n].value = _hail_sip_span (q, p);
        }
      if (++n > HAIL_SIP_MAX_HEADER_PARAMS)
        {
          g_set_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_TOO_LARGE,
                       "more than %u parameters", HAIL_SIP_MAX_HEADER_PARAMS);
          return FALSE;
        }
      empty = 0;
      p = _hail_sip_skip_ws (p, end);
    }
  if (empty > 0)
    return param_error (error, "empty parameter");
  params->len = (gsize) (last - params->ptr);
  if (n_params != NULL)
    *n_params = n;
  *pp = p;
  return TRUE;
}

/**
 * hail_sip_param_iter_init:
 * @iter: (out caller-allocates): an iterator
 * @params: a parameter list validated by one of the header parsers
 *
 * Prepares to walk @params.
 */
void
hail_sip_param_iter_init (HailSipParamIter *iter,
                          HailSipSpan       params)
{
  g_return_if_fail (iter != NULL);

  iter->p = params.ptr;
  iter->end = params.ptr != NULL ? params.ptr + params.len : NULL;
}

/**
 * hail_sip_param_iter_next:
 * @iter: an iterator
 * @name: (out): the parameter name
 * @value: (out): the value as written (a quoted-string keeps its quotes, see
 *   hail_sip_unquote()); absent when the parameter has none
 *
 * Returns: %FALSE when there are no more parameters
 */
gboolean
hail_sip_param_iter_next (HailSipParamIter *iter,
                          HailSipSpan      *name,
                          HailSipSpan      *value)
{
  const char *p;
  const char *end = iter->end;

  g_return_val_if_fail (iter != NULL, FALSE);
  g_return_val_if_fail (name != NULL && value != NULL, FALSE);

  for (p = iter->p; p != NULL && p < end; )
    {
      const char *start;
      const char *q;

      /* Validated input: ';' LWS token [ LWS '=' LWS gen-value ] LWS */
      p = _hail_sip_skip_ws (p + 1, end);
      if (p >= end || *p == ';')
        continue;
      start = p;
      p = _hail_sip_skip_class (p, end, HAIL_SIP_C_TOKEN);
      *name = _hail_sip_span (start, p);
      *value = HAIL_SIP_SPAN_NONE;
      q = _hail_sip_skip_ws (p, end);
      if (q < end && *q == '=')
        {
          q = _hail_sip_skip_ws (q + 1, end);
          p = scan_gen_value (q, end);
          if (p == NULL)
            p = end;
          *value = _hail_sip_span (q, p);
        }
      p = _hail_sip_skip_ws (p, end);
      iter->p = p;
      return TRUE;
    }
  iter->p = end;
  return FALSE;
}

/**
 * hail_sip_params_lookup:
 * @params: a validated parameter list
 * @name: parameter name, compared ignoring case
 * @value: (out) (optional): its value (absent when it has none)
 *
 * Returns: whether the parameter is present
 */
gboolean
hail_sip_params_lookup (HailSipSpan  params,
                        const char  *name,
                        HailSipSpan *value)
{
  HailSipParamIter iter;
  HailSipSpan n, v;
  gsize len;

  g_return_val_if_fail (name != NULL, FALSE);

  len = strlen (name);
  hail_sip_param_iter_init (&iter, params);
  while (hail_sip_param_iter_next (&iter, &n, &v))
    {
      if (n.len == len && _hail_sip_ascii_caseeq (n.ptr, name, len))
        {
          if (value != NULL)
            *value = v;
          return TRUE;
        }
    }
  return FALSE;
}

/**
 * hail_sip_cseq_parse:
 * @cseq: (out caller-allocates): the result
 * @str: a CSeq value
 * @len: its length
 * @error: return location for a #GError
 *
 * Parses `1*DIGIT LWS Method`; the number must fit in 32 bits (RFC 3261
 * §8.1.1.5, RFC 4475 scalar02).
 *
 * Returns: whether @str is a valid CSeq
 */
gboolean
hail_sip_cseq_parse (HailSipCSeq  *cseq,
                     const char   *str,
                     gsize         len,
                     GError      **error)
{
  const char *end = str + len;
  const char *p = _hail_sip_skip_ws (str, end);
  const char *digits = p;
  const char *method;

  g_return_val_if_fail (cseq != NULL, FALSE);

  p = _hail_sip_skip_class (p, end, HAIL_SIP_C_DIGIT);
  if (p == digits)
    return param_error (error, "number missing");
  if (!_hail_sip_parse_uint32 (digits, p, &cseq->number))
    return param_error (error, "number out of range");
  method = _hail_sip_skip_ws (p, end);
  if (method == p)
    return param_error (error, "no space between number and method");
  p = _hail_sip_skip_class (method, end, HAIL_SIP_C_TOKEN);
  if (p == method || _hail_sip_skip_ws (p, end) != end)
    return param_error (error, "bad method");
  cseq->method = _hail_sip_span (method, p);
  return TRUE;
}

/**
 * hail_sip_content_type_parse:
 * @ctype: (out caller-allocates): the result
 * @str: a Content-Type value or one Accept element
 * @len: its length
 * @error: return location for a #GError
 *
 * Parses `type "/" subtype *( ";" param )`.
 *
 * Returns: whether @str is a valid media type
 */
gboolean
hail_sip_content_type_parse (HailSipContentType  *ctype,
                             const char          *str,
                             gsize                len,
                             GError             **error)
{
  const char *end = str + len;
  const char *p = _hail_sip_skip_ws (str, end);
  const char *start = p;

  g_return_val_if_fail (ctype != NULL, FALSE);

  p = _hail_sip_skip_class (p, end, HAIL_SIP_C_TOKEN);
  if (p == start)
    return param_error (error, "bad media type");
  ctype->type = _hail_sip_span (start, p);
  p = _hail_sip_skip_ws (p, end);
  if (p >= end || *p != '/')
    return param_error (error, "media type without '/'");
  start = p = _hail_sip_skip_ws (p + 1, end);
  p = _hail_sip_skip_class (p, end, HAIL_SIP_C_TOKEN);
  if (p == start)
    return param_error (error, "bad media subtype");
  ctype->subtype = _hail_sip_span (start, p);
  if (!_hail_sip_parse_params (&p, end, &ctype->params, NULL, NULL, error))
    return FALSE;
  if (_hail_sip_skip_ws (p, end) != end)
    return param_error (error, "unexpected text after the media type");
  return TRUE;
}

/**
 * hail_sip_content_type_is:
 * @ctype: a parsed media type
 * @type: a type (`application`), or `*`
 * @subtype: a subtype (`sdp`), or `*`
 *
 * Matches ignoring case; `*` in @ctype (an Accept range) or in the arguments
 * matches anything.
 *
 * Returns: whether @ctype matches
 */
gboolean
hail_sip_content_type_is (const HailSipContentType *ctype,
                          const char               *type,
                          const char               *subtype)
{
  g_return_val_if_fail (ctype != NULL && type != NULL && subtype != NULL, FALSE);

  return (strcmp (type, "*") == 0 || hail_sip_span_equal_str (ctype->type, "*")
          || hail_sip_span_equal_ascii_case (ctype->type, type))
         && (strcmp (subtype, "*") == 0 || hail_sip_span_equal_str (ctype->subtype, "*")
             || hail_sip_span_equal_ascii_case (ctype->subtype, subtype));
}

/**
 * hail_sip_parse_delta_seconds:
 * @str: a value such as `3600`, optionally surrounded by LWS
 * @len: its length
 * @value: (out): the number of seconds
 *
 * Returns: whether @str is 1*DIGIT that fits in 32 bits. RFC 3261 §20.19
 *   treats a malformed Expires as 3600: callers apply their own default.
 */
gboolean
hail_sip_parse_delta_seconds (const char *str,
                              gsize       len,
                              guint32    *value)
{
  const char *end = str + len;
  const char *p = _hail_sip_skip_ws (str, end);
  const char *digits = p;

  g_return_val_if_fail (value != NULL, FALSE);

  p = _hail_sip_skip_class (p, end, HAIL_SIP_C_DIGIT);
  if (_hail_sip_skip_ws (p, end) != end)
    return FALSE;
  return _hail_sip_parse_uint32 (digits, p, value);
}
