/* hail-address.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hail-address.h"

#include <glib/gi18n.h>

#include <string.h>

/* RFC 1035: a host name is at most 253 characters, a label at most 63. */
#define MAX_HOST_LENGTH 253
#define MAX_LABEL_LENGTH 63

/* RFC 3261 §25.1: characters allowed in the user part without escaping
 * (unreserved and user-unreserved). */
#define USER_SAFE_CHARS "-_.!~*'()&=+$,;?/"

struct _HailAddress {
  char *user;
  char *host;
  guint port;
  HailAddressTransport transport;
  gboolean explicit_transport;
  gboolean secure;
  gboolean phone;
};

G_DEFINE_QUARK (hail-address-error-quark, hail_address_error)
G_DEFINE_BOXED_TYPE (HailAddress, hail_address, hail_address_ref, hail_address_unref)

static void
address_clear (gpointer data)
{
  HailAddress *self = data;

  g_free (self->user);
  g_free (self->host);
}

static gboolean
is_user_char (guchar c)
{
  return g_ascii_isalnum (c) || (c != '\0' && strchr (USER_SAFE_CHARS, c) != NULL);
}

/* Undoes %XX escapes and checks every character; returns NULL with @error set. */
static char *
read_user (const char  *text,
           gsize        len,
           GError     **error)
{
  g_autoptr(GString) user = g_string_sized_new (len);

  if (len == 0)
    {
      g_set_error (error, HAIL_ADDRESS_ERROR, HAIL_ADDRESS_ERROR_NO_USER,
                   _("The user name before “@” is missing."));
      return NULL;
    }
  for (gsize i = 0; i < len; i++)
    {
      guchar c = text[i];

      if (c == '%')
        {
          int hi = i + 2 < len ? g_ascii_xdigit_value (text[i + 1]) : -1;
          int lo = i + 2 < len ? g_ascii_xdigit_value (text[i + 2]) : -1;

          if (hi < 0 || lo < 0 || (hi == 0 && lo == 0))
            {
              g_set_error (error, HAIL_ADDRESS_ERROR, HAIL_ADDRESS_ERROR_BAD_USER,
                           _("The user name has a broken “%%” escape."));
              return NULL;
            }
          c = (guchar) (hi * 16 + lo);
          i += 2;
          if (g_ascii_iscntrl (c))
            {
              g_set_error (error, HAIL_ADDRESS_ERROR, HAIL_ADDRESS_ERROR_BAD_USER,
                           _("The user name contains a control character."));
              return NULL;
            }
          g_string_append_c (user, (char) c);
          continue;
        }
      if (c == ' ' || c == '\t')
        {
          g_set_error (error, HAIL_ADDRESS_ERROR, HAIL_ADDRESS_ERROR_BAD_USER,
                       _("The user name contains a space."));
          return NULL;
        }
      if (!is_user_char (c))
        {
          if (c >= 0x80 || g_ascii_iscntrl (c))
            g_set_error (error, HAIL_ADDRESS_ERROR, HAIL_ADDRESS_ERROR_BAD_USER,
                         _("The user name contains a character that is not allowed."));
          else
            /* Translators: %c is one ASCII punctuation character, such as < or " */
            g_set_error (error, HAIL_ADDRESS_ERROR, HAIL_ADDRESS_ERROR_BAD_USER,
                         _("The user name cannot contain “%c”."), c);
          return NULL;
        }
      g_string_append_c (user, (char) c);
    }
  return g_string_free (g_steal_pointer (&user), FALSE);
}

static gboolean
is_valid_hostname (const char *host)
{
  gsize label = 0;
  char prev = '.';

  if (*host == '\0' || strlen (host) > MAX_HOST_LENGTH)
    return FALSE;
  for (const char *p = host; *p != '\0'; p++)
    {
      if (*p == '.')
        {
          if (label == 0 || prev == '-')
            return FALSE;
          label = 0;
        }
      else if (g_ascii_isalnum (*p) || (*p == '-' && label > 0))
        {
          if (++label > MAX_LABEL_LENGTH)
            return FALSE;
        }
      else
        return FALSE;
      prev = *p;
    }
  /* A final dot (fully qualified name) is allowed; a final hyphen is not. */
  return prev != '-';
}

static gboolean
read_port (const char  *text,
           guint       *port,
           GError     **error)
{
  guint64 value = 0;
  gsize n = strlen (text);

  if (n == 0 || n > 5 || strspn (text, "0123456789") != n ||
      !g_ascii_string_to_unsigned (text, 10, 1, 65535, &value, NULL))
    {
      g_set_error (error, HAIL_ADDRESS_ERROR, HAIL_ADDRESS_ERROR_BAD_PORT,
                   _("The port must be a number from 1 to 65535."));
      return FALSE;
    }
  *port = (guint) value;
  return TRUE;
}

/* host, host:port, [v6] or [v6]:port */
static gboolean
read_hostport (HailAddress  *self,
               const char   *text,
               GError      **error)
{
  g_autofree char *host = NULL;
  const char *port = NULL;

  if (*text == '\0')
    {
      g_set_error (error, HAIL_ADDRESS_ERROR, HAIL_ADDRESS_ERROR_NO_HOST,
                   _("The server after “@” is missing."));
      return FALSE;
    }
  if (*text == '[')
    {
      const char *end = strchr (text, ']');

      if (end == NULL || (end[1] != '\0' && end[1] != ':'))
        {
          g_set_error (error, HAIL_ADDRESS_ERROR, HAIL_ADDRESS_ERROR_BAD_HOST,
                       _("The IPv6 address must be written in brackets, like [2001:db8::1]."));
          return FALSE;
        }
      host = g_strndup (text + 1, end - text - 1);
      if (!g_hostname_is_ip_address (host) || strchr (host, ':') == NULL)
        {
          g_set_error (error, HAIL_ADDRESS_ERROR, HAIL_ADDRESS_ERROR_BAD_HOST,
                       _("“%s” is not an IPv6 address."), host);
          return FALSE;
        }
      if (end[1] == ':')
        port = end + 2;
    }
  else
    {
      const char *colon = strchr (text, ':');

      if (colon != NULL && strchr (colon + 1, ':') != NULL)
        {
          g_set_error (error, HAIL_ADDRESS_ERROR, HAIL_ADDRESS_ERROR_BAD_HOST,
                       _("The IPv6 address must be written in brackets, like [2001:db8::1]."));
          return FALSE;
        }
      host = colon != NULL ? g_strndup (text, colon - text) : g_strdup (text);
      if (colon != NULL)
        port = colon + 1;
      if (*host == '\0')
        {
          g_set_error (error, HAIL_ADDRESS_ERROR, HAIL_ADDRESS_ERROR_NO_HOST,
                       _("The server after “@” is missing."));
          return FALSE;
        }
      if (!is_valid_hostname (host))
        {
          g_autofree char *shown = g_utf8_make_valid (host, -1);

          g_set_error (error, HAIL_ADDRESS_ERROR, HAIL_ADDRESS_ERROR_BAD_HOST,
                       _("“%s” is not a valid server name."), shown);
          return FALSE;
        }
    }
  if (port != NULL && !read_port (port, &self->port, error))
    return FALSE;
  self->host = g_ascii_strdown (host, -1);
  return TRUE;
}

/* ;name=value;... : only transport matters to the user; others are kept out. */
static gboolean
read_params (HailAddress  *self,
             const char   *text,
             GError      **error)
{
  g_auto(GStrv) params = g_strsplit (text, ";", -1);

  for (guint i = 0; params[i] != NULL; i++)
    {
      const char *eq = strchr (params[i], '=');
      g_autofree char *name = eq ? g_strndup (params[i], eq - params[i]) : g_strdup (params[i]);
      HailAddressTransport transport;

      if (g_ascii_strcasecmp (g_strstrip (name), "transport") != 0)
        continue;
      if (eq == NULL || !hail_address_transport_from_string (eq + 1, &transport))
        {
          g_autofree char *shown = g_utf8_make_valid (eq ? eq + 1 : "", -1);

          g_set_error (error, HAIL_ADDRESS_ERROR, HAIL_ADDRESS_ERROR_BAD_TRANSPORT,
                       _("Hail speaks UDP, TCP and TLS, not “%s”."), shown);
          return FALSE;
        }
      if (self->secure && transport == HAIL_ADDRESS_TRANSPORT_UDP)
        {
          g_set_error (error, HAIL_ADDRESS_ERROR, HAIL_ADDRESS_ERROR_BAD_TRANSPORT,
                       _("A sips: address needs TLS and cannot use UDP."));
          return FALSE;
        }
      self->transport = self->secure ? HAIL_ADDRESS_TRANSPORT_TLS : transport;
      self->explicit_transport = TRUE;
    }
  return TRUE;
}

/* tel:+1-555-0100: visual separators (RFC 3966 §5.1.1) are dropped. */
static gboolean
read_phone (HailAddress  *self,
            const char   *text,
            const char   *default_host,
            GError      **error)
{
  g_autoptr(GString) number = g_string_new (NULL);

  for (const char *p = text; *p != '\0' && *p != ';'; p++)
    {
      if (strchr ("-.() ", *p) != NULL)
        continue;
      if (!(g_ascii_isdigit (*p) || *p == '*' || *p == '#' || (*p == '+' && number->len == 0)))
        {
          g_set_error (error, HAIL_ADDRESS_ERROR, HAIL_ADDRESS_ERROR_BAD_USER,
                       _("A phone number may contain only digits, “*”, “#” and a "
                         "leading “+”."));
          return FALSE;
        }
      g_string_append_c (number, *p);
    }
  if (number->len == 0 || g_strcmp0 (number->str, "+") == 0)
    {
      g_set_error (error, HAIL_ADDRESS_ERROR, HAIL_ADDRESS_ERROR_NO_USER,
                   _("The phone number is missing."));
      return FALSE;
    }
  self->phone = TRUE;
  self->user = g_string_free (g_steal_pointer (&number), FALSE);
  self->host = default_host ? g_ascii_strdown (default_host, -1) : NULL;
  return TRUE;
}

/* Recognises "sip:", "sips:", "tel:" in any case; returns the length of the
 * scheme with its colon, 0 when there is none, or -1 with @error set. */
static int
read_scheme (HailAddress  *self,
             const char   *text,
             gboolean     *phone,
             GError      **error)
{
  const char *colon = strchr (text, ':');
  const char *at = strchr (text, '@');
  gsize n;

  *phone = FALSE;
  if (colon == NULL || (at != NULL && at < colon))
    return 0;
  n = colon - text;
  if (n == 3 && g_ascii_strncasecmp (text, "sip", 3) == 0)
    return 4;
  if (n == 4 && g_ascii_strncasecmp (text, "sips", 4) == 0)
    {
      self->secure = TRUE;
      self->transport = HAIL_ADDRESS_TRANSPORT_TLS;
      return 5;
    }
  if (n == 3 && g_ascii_strncasecmp (text, "tel", 3) == 0)
    {
      *phone = TRUE;
      return 4;
    }
  if (at != NULL)
    {
      g_set_error (error, HAIL_ADDRESS_ERROR, HAIL_ADDRESS_ERROR_HAS_PASSWORD,
                   _("Remove the password from the address and type it in the password field."));
      return -1;
    }
  /* "example.test:5060" is a server with a port, not a scheme. */
  if (n > 0 && strspn (text, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ+-.") == n &&
      !g_ascii_isdigit (colon[1]) && memchr (text, '.', n) == NULL)
    {
      g_autofree char *scheme = g_strndup (text, n);

      g_set_error (error, HAIL_ADDRESS_ERROR, HAIL_ADDRESS_ERROR_BAD_SCHEME,
                   _("Hail understands sip:, sips: and tel: addresses, not “%s:”."), scheme);
      return -1;
    }
  return 0;
}

/**
 * hail_address_parse:
 * @text: what the user typed or pasted, in UTF-8
 * @default_host: (nullable): server for a bare user name or number
 * @error: where to report why @text cannot be read
 *
 * Reads `alice@example.test`, `sip:alice@host:5070;transport=tcp`,
 * `sips:…`, `tel:+1-555-0100` and `"Alice" <sip:alice@host>`.
 *
 * Returns: (transfer full) (nullable): the address, or %NULL with @error set
 */
HailAddress *
hail_address_parse (const char  *text,
                    const char  *default_host,
                    GError     **error)
{
  g_autoptr(HailAddress) self = NULL;
  g_autofree char *copy = NULL;
  char *s, *lt, *at, *semi, *query;
  gboolean phone;
  int skip;
  gsize len;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (text == NULL)
    text = "";
  len = strnlen (text, HAIL_ADDRESS_MAX_LENGTH + 1);
  if (len > HAIL_ADDRESS_MAX_LENGTH)
    {
      g_set_error (error, HAIL_ADDRESS_ERROR, HAIL_ADDRESS_ERROR_TOO_LONG,
                   _("The address is longer than %d characters."), HAIL_ADDRESS_MAX_LENGTH);
      return NULL;
    }
  copy = g_strndup (text, len);
  s = g_strstrip (copy);

  /* A pasted name-addr: keep what is between the angle brackets. */
  if ((lt = strchr (s, '<')) != NULL)
    {
      char *gt = strrchr (s, '>');

      if (gt == NULL || gt < lt)
        {
          g_set_error (error, HAIL_ADDRESS_ERROR, HAIL_ADDRESS_ERROR_MALFORMED,
                       _("The address has a “<” without a closing “>”."));
          return NULL;
        }
      *gt = '\0';
      s = g_strstrip (lt + 1);
    }
  if (*s == '\0')
    {
      g_set_error (error, HAIL_ADDRESS_ERROR, HAIL_ADDRESS_ERROR_EMPTY,
                   _("Type an address such as alice@example.com."));
      return NULL;
    }

  self = g_atomic_rc_box_new0 (HailAddress);
  self->transport = HAIL_ADDRESS_TRANSPORT_UDP;
  if ((skip = read_scheme (self, s, &phone, error)) < 0)
    return NULL;
  s += skip;
  if (phone)
    return read_phone (self, s, default_host, error) ? g_steal_pointer (&self) : NULL;

  /* Header fields (?subject=…) never matter for calling or registering. */
  if ((query = strchr (s, '?')) != NULL)
    *query = '\0';
  at = strrchr (s, '@');
  if (at == NULL)
    {
      if (default_host == NULL || *default_host == '\0')
        {
          g_autofree char *shown = g_utf8_make_valid (s, -1);

          if (strchr (s, '.') != NULL || strchr (s, ':') != NULL)
            g_set_error (error, HAIL_ADDRESS_ERROR, HAIL_ADDRESS_ERROR_NO_USER,
                         _("Add the user name before the server, like alice@%s."), shown);
          else
            g_set_error (error, HAIL_ADDRESS_ERROR, HAIL_ADDRESS_ERROR_NO_HOST,
                         _("Add the server after an “@”, like %s@example.com."), shown);
          return NULL;
        }
      if ((semi = strchr (s, ';')) != NULL)
        *semi = '\0';
      if ((self->user = read_user (s, strlen (s), error)) == NULL)
        return NULL;
      if (!read_hostport (self, default_host, error))
        return NULL;
      return semi && !read_params (self, semi + 1, error) ? NULL : g_steal_pointer (&self);
    }

  if (memchr (s, ':', at - s) != NULL)
    {
      g_set_error (error, HAIL_ADDRESS_ERROR, HAIL_ADDRESS_ERROR_HAS_PASSWORD,
                   _("Remove the password from the address and type it in the password field."));
      return NULL;
    }
  if ((self->user = read_user (s, at - s, error)) == NULL)
    return NULL;
  s = at + 1;
  if ((semi = strchr (s, ';')) != NULL)
    *semi = '\0';
  if (!read_hostport (self, s, error))
    return NULL;
  if (semi != NULL && !read_params (self, semi + 1, error))
    return NULL;
  return g_steal_pointer (&self);
}

HailAddress *
hail_address_ref (HailAddress *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return g_atomic_rc_box_acquire (self);
}

void
hail_address_unref (HailAddress *self)
{
  g_return_if_fail (self != NULL);

  g_atomic_rc_box_release_full (self, address_clear);
}

gboolean
hail_address_is_secure (const HailAddress *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->secure;
}

/* TRUE for a tel: number, which has a host only when a default was given. */
gboolean
hail_address_is_phone_number (const HailAddress *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->phone;
}

const char *
hail_address_get_user (const HailAddress *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->user;
}

const char *
hail_address_get_host (const HailAddress *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->host;
}

/* The port written in the address, or 0 when none was. */
guint
hail_address_get_port (const HailAddress *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->port;
}

/* RFC 3261 §19.1.2: 5060 for UDP and TCP, 5061 for TLS, unless written.
 * (DNS SRV may still pick another port for a name without one.) */
guint
hail_address_get_effective_port (const HailAddress *self)
{
  g_return_val_if_fail (self != NULL, 0);

  if (self->port != 0)
    return self->port;
  return self->transport == HAIL_ADDRESS_TRANSPORT_TLS ? 5061 : 5060;
}

HailAddressTransport
hail_address_get_transport (const HailAddress *self)
{
  g_return_val_if_fail (self != NULL, HAIL_ADDRESS_TRANSPORT_UDP);

  return self->transport;
}

/* TRUE when the transport was written (;transport= or sips:), not assumed. */
gboolean
hail_address_has_transport (const HailAddress *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->explicit_transport || self->secure;
}

/**
 * hail_address_to_uri:
 * @self: an address
 *
 * Returns: (transfer full): the address as a URI, e.g. `sip:alice@host:5070;transport=tcp`
 */
char *
hail_address_to_uri (const HailAddress *self)
{
  g_autofree char *user = NULL;
  GString *uri;

  g_return_val_if_fail (self != NULL, NULL);

  if (self->phone && self->host == NULL)
    return g_strdup_printf ("tel:%s", self->user);

  user = g_uri_escape_string (self->user, USER_SAFE_CHARS, FALSE);
  uri = g_string_new (self->secure ? "sips:" : "sip:");
  g_string_append_printf (uri, "%s@", user);
  if (strchr (self->host, ':') != NULL)
    g_string_append_printf (uri, "[%s]", self->host);
  else
    g_string_append (uri, self->host);
  if (self->port != 0)
    g_string_append_printf (uri, ":%u", self->port);
  if (self->explicit_transport && !self->secure)
    g_string_append_printf (uri, ";transport=%s",
                            self->transport == HAIL_ADDRESS_TRANSPORT_TCP ? "tcp" :
                            self->transport == HAIL_ADDRESS_TRANSPORT_TLS ? "tls" : "udp");
  if (self->phone)
    g_string_append (uri, ";user=phone");
  return g_string_free (uri, FALSE);
}

/* The name shown to people ("UDP", "TCP", "TLS"); not translated. */
const char *
hail_address_transport_to_string (HailAddressTransport transport)
{
  switch (transport)
    {
    case HAIL_ADDRESS_TRANSPORT_UDP:
      return "UDP";
    case HAIL_ADDRESS_TRANSPORT_TCP:
      return "TCP";
    case HAIL_ADDRESS_TRANSPORT_TLS:
      return "TLS";
    default:
      g_return_val_if_reached (NULL);
    }
}

gboolean
hail_address_transport_from_string (const char           *name,
                                    HailAddressTransport *transport)
{
  g_return_val_if_fail (transport != NULL, FALSE);

  if (name == NULL)
    return FALSE;
  if (g_ascii_strcasecmp (name, "udp") == 0)
    *transport = HAIL_ADDRESS_TRANSPORT_UDP;
  else if (g_ascii_strcasecmp (name, "tcp") == 0)
    *transport = HAIL_ADDRESS_TRANSPORT_TCP;
  else if (g_ascii_strcasecmp (name, "tls") == 0)
    *transport = HAIL_ADDRESS_TRANSPORT_TLS;
  else
    return FALSE;
  return TRUE;
}
