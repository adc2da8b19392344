/* hail-sip-uri-compare.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * URI parameter and header lookup, and URI equality after RFC 3261 §19.1.4
 * (SIP, SIPS) and RFC 3966 §4 (tel). Escaped and unescaped forms of a
 * character are the same character here, and %-escapes are resolved once.
 */
#include "config.h"

#include "hail-sip-uri.h"

#include "hail-sip-limits.h"
#include "hail-sip-private.h"

#include <string.h>

/* Reads one character of escaped text, resolving %HH. */
static guint8
next_char (const char **pp,
           const char  *end)
{
  const char *p = *pp;

  if (*p == '%' && end - p >= 3 && g_ascii_isxdigit (p[1]) && g_ascii_isxdigit (p[2]))
    {
      *pp = p + 3;
      return (guint8) (g_ascii_xdigit_value (p[1]) * 16 + g_ascii_xdigit_value (p[2]));
    }
  *pp = p + 1;
  return (guint8) *p;
}

/* Compares two escaped texts by their unescaped characters. */
static gboolean
escaped_equal (HailSipSpan a,
               HailSipSpan b,
               gboolean    ignore_case)
{
  const char *pa = a.ptr, *ea = a.ptr + a.len;
  const char *pb = b.ptr, *eb = b.ptr + b.len;

  while (pa < ea && pb < eb)
    {
      guint8 ca = next_char (&pa, ea);
      guint8 cb = next_char (&pb, eb);

      if (ignore_case)
        {
          ca = (guint8) _hail_sip_lower ((char) ca);
          cb = (guint8) _hail_sip_lower ((char) cb);
        }
      if (ca != cb)
        return FALSE;
    }
  return pa == ea && pb == eb;
}

typedef struct {
  HailSipSpan name;
  HailSipSpan value;    /* ptr NULL when the item has no '=' */
} Item;

/* Splits escaped "a=b;c" (params, @sep ';') or "a=b&c=d" (headers, '&') into
 * at most @max items; the parser bounded their number. */
static guint
split_items (const char *str,
             char        sep,
             Item       *items,
             guint       max)
{
  const char *p = str;
  guint n = 0;

  if (str == NULL)
    return 0;
  while (*p != '\0' && n < max)
    {
      const char *end = strchr (p, sep);
      const char *eq;

      if (end == NULL)
        end = p + strlen (p);
      eq = memchr (p, '=', (gsize) (end - p));
      items[n].name = _hail_sip_span (p, eq != NULL ? eq : end);
      items[n].value = eq != NULL ? _hail_sip_span (eq + 1, end) : HAIL_SIP_SPAN_NONE;
      n++;
      p = *end != '\0' ? end + 1 : end;
    }
  return n;
}

static const Item *
find_item (const Item *items,
           guint       n,
           HailSipSpan name)
{
  for (guint i = 0; i < n; i++)
    if (escaped_equal (items[i].name, name, TRUE))
      return &items[i];
  return NULL;
}

static char *
dup_item (const char *str,
          char        sep,
          guint       max,
          const char *name,
          gsize      *len)
{
  Item items[HAIL_SIP_MAX_URI_PARAMS];
  HailSipSpan key = { name, strlen (name) };
  const Item *item;
  guint n;

  n = split_items (str, sep, items, MIN (max, G_N_ELEMENTS (items)));
  item = find_item (items, n, key);
  if (item == NULL)
    return NULL;
  if (item->value.ptr == NULL)
    {
      if (len != NULL)
        *len = 0;
      return g_strdup ("");
    }
  return hail_sip_uri_unescape (item->value.ptr, item->value.len, len);
}

/**
 * hail_sip_uri_has_param:
 * @self: a URI
 * @name: parameter name, compared ignoring case and escapes
 *
 * Returns: whether the URI carries the parameter (with or without a value)
 */
gboolean
hail_sip_uri_has_param (const HailSipUri *self,
                        const char       *name)
{
  g_autofree char *value = NULL;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  value = dup_item (hail_sip_uri_get_params (self), ';', HAIL_SIP_MAX_URI_PARAMS, name, NULL);
  return value != NULL;
}

/**
 * hail_sip_uri_dup_param:
 * @self: a URI
 * @name: parameter name, compared ignoring case and escapes
 * @len: (out) (optional): length of the value
 *
 * Returns: (transfer full) (nullable): the unescaped value, "" for a
 *   parameter without value, %NULL when absent
 */
char *
hail_sip_uri_dup_param (const HailSipUri *self,
                        const char       *name,
                        gsize            *len)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  return dup_item (hail_sip_uri_get_params (self), ';', HAIL_SIP_MAX_URI_PARAMS, name, len);
}

/**
 * hail_sip_uri_dup_header:
 * @self: a URI
 * @name: header name, compared ignoring case
 * @len: (out) (optional): length of the value
 *
 * Returns: (transfer full) (nullable): the unescaped value of a URI header
 *   (`?Route=...`), %NULL when absent
 */
char *
hail_sip_uri_dup_header (const HailSipUri *self,
                         const char       *name,
                         gsize            *len)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  return dup_item (hail_sip_uri_get_headers (self), '&', HAIL_SIP_MAX_URI_HEADERS, name, len);
}

/* RFC 3261 §19.1.4: these parameters, when present in either URI, must be
 * present in both and match. */
static gboolean
is_significant_param (HailSipSpan name)
{
  static const char * const names[] = { "user", "ttl", "method", "maddr", "transport" };
  char buf[16];
  const char *p = name.ptr;
  const char *end = name.ptr + name.len;
  gsize n = 0;

  while (p < end && n < sizeof buf - 1)
    buf[n++] = (char) next_char (&p, end);
  if (p < end)
    return FALSE;
  buf[n] = '\0';
  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_ascii_strcasecmp (buf, names[i]) == 0)
      return TRUE;
  return FALSE;
}

static gboolean
params_equal (const char *a,
              const char *b,
              gboolean    all_significant)
{
  Item ia[HAIL_SIP_MAX_URI_PARAMS], ib[HAIL_SIP_MAX_URI_PARAMS];
  guint na = split_items (a, ';', ia, G_N_ELEMENTS (ia));
  guint nb = split_items (b, ';', ib, G_N_ELEMENTS (ib));

  /* A parameter in both must match (values ignoring case); one in a single
   * URI only counts when it is significant. Checked in both directions. */
  for (guint pass = 0; pass < 2; pass++)
    {
      const Item *items = pass == 0 ? ia : ib;
      const Item *other = pass == 0 ? ib : ia;
      guint n = pass == 0 ? na : nb;
      guint n_other = pass == 0 ? nb : na;

      for (guint i = 0; i < n; i++)
        {
          const Item *match = find_item (other, n_other, items[i].name);

          if (match == NULL)
            {
              if (all_significant || is_significant_param (items[i].name))
                return FALSE;
              continue;
            }
          if ((match->value.ptr == NULL) != (items[i].value.ptr == NULL))
            return FALSE;
          if (match->value.ptr != NULL && !escaped_equal (match->value, items[i].value, TRUE))
            return FALSE;
        }
    }
  return TRUE;
}

/* URI headers are never ignored: each must be in both with the same value. */
static gboolean
headers_equal (const char *a,
               const char *b)
{
  Item ia[HAIL_SIP_MAX_URI_HEADERS], ib[HAIL_SIP_MAX_URI_HEADERS];
  guint na = split_items (a, '&', ia, G_N_ELEMENTS (ia));
  guint nb = split_items (b, '&', ib, G_N_ELEMENTS (ib));

  if (na != nb)
    return FALSE;
  for (guint i = 0; i < na; i++)
    {
      const Item *match = find_item (ib, nb, ia[i].name);

      if (match == NULL || !escaped_equal (match->value, ia[i].value, FALSE))
        return FALSE;
    }
  return TRUE;
}

/* RFC 3966 §4: numbers compare without their visual separators. */
static gboolean
tel_numbers_equal (const char *a,
                   const char *b)
{
  for (;;)
    {
      while (*a != '\0' && strchr ("-.()", *a) != NULL)
        a++;
      while (*b != '\0' && strchr ("-.()", *b) != NULL)
        b++;
      if (*a == '\0' || *b == '\0')
        return *a == *b;
      if (_hail_sip_lower (*a) != _hail_sip_lower (*b))
        return FALSE;
      a++;
      b++;
    }
}

/**
 * hail_sip_uri_equal:
 * @a: a URI
 * @b: another URI
 *
 * Compares after RFC 3261 §19.1.4: user and password case-sensitively, host
 * ignoring case, ports exactly (an absent port differs from 5060), user, ttl,
 * method, maddr and transport parameters when in either URI, other
 * parameters only when in both, headers always; escapes are resolved first.
 * tel: URIs compare their numbers without separators and all parameters.
 * Other schemes compare scheme and opaque text.
 *
 * Returns: whether the URIs are equivalent
 */
gboolean
hail_sip_uri_equal (const HailSipUri *a,
                    const HailSipUri *b)
{
  gsize la, lb;
  const char *ua, *ub;

  g_return_val_if_fail (a != NULL, FALSE);
  g_return_val_if_fail (b != NULL, FALSE);

  /* The same text is the same URI, even with repeated parameters that the
   * rules below would compare crosswise. */
  if (a == b || strcmp (hail_sip_uri_to_string (a), hail_sip_uri_to_string (b)) == 0)
    return TRUE;
  if (hail_sip_uri_get_scheme (a) != hail_sip_uri_get_scheme (b)
      || strcmp (hail_sip_uri_get_scheme_name (a), hail_sip_uri_get_scheme_name (b)) != 0)
    return FALSE;

  switch (hail_sip_uri_get_scheme (a))
    {
    case HAIL_SIP_URI_SCHEME_OTHER:
      return strcmp (hail_sip_uri_get_opaque (a), hail_sip_uri_get_opaque (b)) == 0;

    case HAIL_SIP_URI_SCHEME_TEL:
      return tel_numbers_equal (hail_sip_uri_get_user (a, NULL), hail_sip_uri_get_user (b, NULL))
             && params_equal (hail_sip_uri_get_params (a), hail_sip_uri_get_params (b), TRUE);

    case HAIL_SIP_URI_SCHEME_SIP:
    case HAIL_SIP_URI_SCHEME_SIPS:
    default:
      break;
    }

  ua = hail_sip_uri_get_user (a, &la);
  ub = hail_sip_uri_get_user (b, &lb);
  if ((ua == NULL) != (ub == NULL) || la != lb || (ua != NULL && memcmp (ua, ub, la) != 0))
    return FALSE;
  ua = hail_sip_uri_get_password (a, &la);
  ub = hail_sip_uri_get_password (b, &lb);
  if ((ua == NULL) != (ub == NULL) || la != lb || (ua != NULL && memcmp (ua, ub, la) != 0))
    return FALSE;
  if (g_ascii_strcasecmp (hail_sip_uri_get_host (a), hail_sip_uri_get_host (b)) != 0
      || hail_sip_uri_get_port (a) != hail_sip_uri_get_port (b))
    return FALSE;
  return params_equal (hail_sip_uri_get_params (a), hail_sip_uri_get_params (b), FALSE)
         && headers_equal (hail_sip_uri_get_headers (a), hail_sip_uri_get_headers (b));
}
