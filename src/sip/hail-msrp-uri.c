/* hail-msrp-uri.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * MSRP URIs (RFC 4975 §6, §9). They are not SIP URIs: the authority comes
 * after "//", the session-id is a path and the transport a bare parameter,
 * so they get their own small parser.
 */
#include "config.h"

#include "hail-msrp-uri.h"

#include <gio/gio.h>
#include <openssl/rand.h>
#include <string.h>

#include "hail-msrp-limits.h"
#include "hail-sip-error.h"

struct _HailMsrpUri
{
  char     *text;
  char     *host;
  char     *session_id;
  char     *transport;
  guint     port;
  gboolean  secure;
};

G_DEFINE_BOXED_TYPE (HailMsrpUri, hail_msrp_uri, hail_msrp_uri_ref, hail_msrp_uri_unref)

static void
uri_clear (HailMsrpUri *self)
{
  g_free (self->text);
  g_free (self->host);
  g_free (self->session_id);
  g_free (self->transport);
}

static gboolean
is_unreserved (char c)
{
  return g_ascii_isalnum (c) || c == '-' || c == '.' || c == '_' || c == '~';
}

/* RFC 4975 §9: session-id = 1*( unreserved / "+" / "=" / "/" ). */
static gboolean
is_session_char (char c)
{
  return is_unreserved (c) || c == '+' || c == '=' || c == '/';
}

/* RFC 3986 pchar-like characters for URI parameters, without ";". */
static gboolean
is_param_char (char c)
{
  return is_unreserved (c) || strchr ("%!$&'()*+,=:@[]", c) != NULL;
}

static gboolean
fail (GError     **error,
      const char  *what)
{
  g_set_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_MALFORMED, "Invalid MSRP URI: %s", what);
  return FALSE;
}

/* Takes host[:port] from [p, end) into @self. */
static gboolean
parse_hostport (HailMsrpUri  *self,
                const char   *p,
                const char   *end,
                GError      **error)
{
  const char *host_end;

  if (p < end && *p == '[')
    {
      g_autoptr(GInetAddress) address = NULL;
      const char *close = memchr (p, ']', end - p);

      if (close == NULL || close == p + 1 || close - p > 64)
        return fail (error, "bad IPv6 reference");
      self->host = g_strndup (p + 1, close - p - 1);
      address = g_inet_address_new_from_string (self->host);
      if (address == NULL || g_inet_address_get_family (address) != G_SOCKET_FAMILY_IPV6)
        return fail (error, "bad IPv6 address");
      host_end = close + 1;
    }
  else
    {
      host_end = p;
      while (host_end < end && (is_unreserved (*host_end) || *host_end == '%'))
        host_end++;
      if (host_end == p)
        return fail (error, "no host");
      self->host = g_strndup (p, host_end - p);
    }

  if (host_end == end)
    return TRUE;
  if (*host_end != ':' || host_end + 1 == end || end - host_end > 6)
    return fail (error, "bad port");
  for (const char *q = host_end + 1; q < end; q++)
    {
      if (!g_ascii_isdigit (*q))
        return fail (error, "bad port");
      self->port = self->port * 10 + (guint) (*q - '0');
    }
  if (self->port == 0 || self->port > 65535)
    return fail (error, "port out of range");
  return TRUE;
}

static gboolean
parse_into (HailMsrpUri  *self,
            const char   *str,
            gsize         len,
            GError      **error)
{
  const char *end = str + len;
  const char *p;
  const char *auth_end;
  const char *at;

  if (len > HAIL_MSRP_MAX_URI_LENGTH)
    {
      g_set_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_TOO_LARGE,
                   "MSRP URI longer than %d bytes", HAIL_MSRP_MAX_URI_LENGTH);
      return FALSE;
    }
  if (len >= 7 && g_ascii_strncasecmp (str, "msrp://", 7) == 0)
    {
      p = str + 7;
    }
  else if (len >= 8 && g_ascii_strncasecmp (str, "msrps://", 8) == 0)
    {
      self->secure = TRUE;
      p = str + 8;
    }
  else
    {
      return fail (error, "the scheme is not msrp:// or msrps://");
    }

  auth_end = p;
  while (auth_end < end && *auth_end != '/' && *auth_end != ';')
    auth_end++;
  /* User info is allowed and ignored (§6.1); it may not hide a host. */
  at = memchr (p, '@', auth_end - p);
  if (at != NULL)
    {
      for (const char *q = p; q < at; q++)
        if (!is_param_char (*q) || *q == '@')
          return fail (error, "bad user info");
      p = at + 1;
    }
  if (!parse_hostport (self, p, auth_end, error))
    return FALSE;

  p = auth_end;
  if (p < end && *p == '/')
    {
      const char *sid = ++p;

      while (p < end && is_session_char (*p))
        p++;
      if (p == sid)
        return fail (error, "empty session-id");
      self->session_id = g_strndup (sid, p - sid);
    }

  /* §9: the transport parameter is mandatory and comes first. */
  if (p == end || *p != ';')
    return fail (error, "no transport");
  {
    const char *t = ++p;

    while (p < end && g_ascii_isalnum (*p))
      p++;
    if (p == t)
      return fail (error, "empty transport");
    self->transport = g_strndup (t, p - t);
  }
  while (p < end)
    {
      const char *param;

      if (*p != ';')
        return fail (error, "bad character after the transport");
      param = ++p;
      while (p < end && is_param_char (*p))
        p++;
      if (p == param)
        return fail (error, "empty parameter");
    }

  self->text = g_strndup (str, len);
  return TRUE;
}

HailMsrpUri *
hail_msrp_uri_parse (const char  *str,
                     gssize       len,
                     GError     **error)
{
  HailMsrpUri *self;

  g_return_val_if_fail (str != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (len < 0)
    len = strlen (str);
  self = g_atomic_rc_box_new0 (HailMsrpUri);
  if (!parse_into (self, str, len, error))
    {
      hail_msrp_uri_unref (self);
      return NULL;
    }
  return self;
}

HailMsrpUri *
hail_msrp_uri_new (gboolean    secure,
                   const char *host,
                   guint       port,
                   const char *session_id)
{
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  HailMsrpUri *self;

  g_return_val_if_fail (host != NULL && *host != '\0', NULL);
  g_return_val_if_fail (port > 0 && port <= 65535, NULL);
  g_return_val_if_fail (session_id != NULL && *session_id != '\0', NULL);

  text = g_strdup_printf (strchr (host, ':') != NULL ? "%s://[%s]:%u/%s;tcp"
                                                     : "%s://%s:%u/%s;tcp",
                          secure ? "msrps" : "msrp", host, port, session_id);
  self = hail_msrp_uri_parse (text, -1, &error);
  /* Only the caller's own arguments can make this fail. */
  g_return_val_if_fail (self != NULL, NULL);
  return self;
}

HailMsrpUri *
hail_msrp_uri_ref (HailMsrpUri *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return g_atomic_rc_box_acquire (self);
}

void
hail_msrp_uri_unref (HailMsrpUri *self)
{
  g_return_if_fail (self != NULL);

  g_atomic_rc_box_release_full (self, (GDestroyNotify) uri_clear);
}

gboolean
hail_msrp_uri_is_secure (const HailMsrpUri *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->secure;
}

const char *
hail_msrp_uri_get_host (const HailMsrpUri *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->host;
}

guint
hail_msrp_uri_get_port (const HailMsrpUri *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->port != 0 ? self->port : HAIL_MSRP_DEFAULT_PORT;
}

const char *
hail_msrp_uri_get_session_id (const HailMsrpUri *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->session_id;
}

const char *
hail_msrp_uri_get_transport (const HailMsrpUri *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->transport;
}

const char *
hail_msrp_uri_to_string (const HailMsrpUri *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->text;
}

gboolean
hail_msrp_uri_equal (const HailMsrpUri *a,
                     const HailMsrpUri *b)
{
  g_return_val_if_fail (a != NULL, FALSE);
  g_return_val_if_fail (b != NULL, FALSE);

  return a->secure == b->secure &&
         g_ascii_strcasecmp (a->host, b->host) == 0 &&
         hail_msrp_uri_get_port (a) == hail_msrp_uri_get_port (b) &&
         g_strcmp0 (a->session_id, b->session_id) == 0 &&
         g_ascii_strcasecmp (a->transport, b->transport) == 0;
}

char *
hail_msrp_uri_new_session_id (GError **error)
{
  static const char alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  guint8 bytes[15];
  char *id;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* RFC 4975 §14.1: the session-id must be hard to guess, as it is all that
   * keeps a stranger off a passive endpoint's session. 120 bits. */
  if (RAND_bytes (bytes, sizeof bytes) != 1)
    {
      g_set_error_literal (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_UNSUPPORTED,
                           "The random number generator failed");
      return NULL;
    }
  id = g_malloc (sizeof bytes / 3 * 4 + 1);
  for (gsize i = 0, j = 0; i < sizeof bytes; i += 3)
    {
      guint32 v = (guint32) bytes[i] << 16 | (guint32) bytes[i + 1] << 8 | bytes[i + 2];

      id[j++] = alphabet[(v >> 18) & 63];
      id[j++] = alphabet[(v >> 12) & 63];
      id[j++] = alphabet[(v >> 6) & 63];
      id[j++] = alphabet[v & 63];
      id[j] = '\0';
    }
  return id;
}
