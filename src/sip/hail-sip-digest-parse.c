/* hail-sip-digest-parse.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Reads challenge and credentials lists (RFC 3261 §25.1, RFC 7235 §2.1):
 *   value     = element *( "," element )
 *   element   = auth-scheme [ 1*LWS ( token68 / auth-param *( "," auth-param ) ) ]
 *   auth-param = token LWS "=" LWS ( token / quoted-string )
 * An item after a comma is a parameter of the current element when it has
 * "=", else it starts a new element. Servers are sloppy, so values may be
 * unquoted, LWS may appear around every separator and empty list items are
 * skipped; anything else is HAIL_SIP_ERROR_MALFORMED.
 */
#include "config.h"

#include "hail-sip-digest.h"

#include "hail-sip-error.h"

#include <string.h>

typedef struct {
  char    *name;
  char    *value;
  gboolean quoted;
} Param;

typedef struct {
  char   *scheme;
  char   *raw;
  GArray *params;   /* Param */
} Element;

typedef struct {
  const char *s;
  gsize       len;
  gsize       pos;
} Scanner;

static void
param_clear (gpointer data)
{
  Param *param = data;

  g_free (param->name);
  g_free (param->value);
}

static void
element_free (gpointer data)
{
  Element *element = data;

  g_free (element->scheme);
  g_free (element->raw);
  g_array_unref (element->params);
  g_free (element);
}

static Element *
element_new (char *scheme)
{
  Element *element = g_new0 (Element, 1);

  element->scheme = scheme;
  element->params = g_array_new (FALSE, TRUE, sizeof (Param));
  g_array_set_clear_func (element->params, param_clear);
  return element;
}

/* RFC 3261 §25.1 token characters. */
static gboolean
is_token_char (guchar c)
{
  return g_ascii_isalnum (c) || strchr ("-.!%*_+`'~", c) != NULL;
}

/* RFC 7235 §2.1 token68 characters, without the trailing "=" padding. */
static gboolean
is_token68_char (guchar c)
{
  return g_ascii_isalnum (c) || strchr ("-._~+/", c) != NULL;
}

static gboolean
at_end (const Scanner *sc)
{
  return sc->pos >= sc->len;
}

static guchar
peek (const Scanner *sc)
{
  return at_end (sc) ? 0 : (guchar) sc->s[sc->pos];
}

/* Skips SP, HTAB and folded line ends (CRLF or LF followed by SP/HTAB). */
static void
skip_lws (Scanner *sc)
{
  while (!at_end (sc))
    {
      guchar c = peek (sc);
      gsize fold = 0;

      if (c == ' ' || c == '\t')
        {
          sc->pos++;
          continue;
        }
      if (c == '\r' && sc->pos + 1 < sc->len && sc->s[sc->pos + 1] == '\n')
        fold = 2;
      else if (c == '\n')
        fold = 1;
      if (fold == 0 || sc->pos + fold >= sc->len ||
          (sc->s[sc->pos + fold] != ' ' && sc->s[sc->pos + fold] != '\t'))
        return;
      sc->pos += fold;
    }
}

static gboolean
unexpected (const Scanner *sc,
            const char    *what,
            GError       **error)
{
  if (at_end (sc))
    g_set_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_MALFORMED,
                 "Authentication value ends where %s was expected", what);
  else
    g_set_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_MALFORMED,
                 "Unexpected byte 0x%02x at offset %" G_GSIZE_FORMAT
                 " of an authentication value (expected %s)",
                 peek (sc), sc->pos, what);
  return FALSE;
}

/* Reads a token into a new string; FALSE when there is none. */
static gboolean
read_token (Scanner *sc,
            char   **out,
            GError **error)
{
  gsize start = sc->pos;

  while (!at_end (sc) && is_token_char (peek (sc)))
    sc->pos++;
  if (sc->pos == start)
    return unexpected (sc, "a token", error);
  if (sc->pos - start > HAIL_SIP_DIGEST_MAX_NAME_LEN)
    {
      g_set_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_TOO_LARGE,
                   "Authentication scheme or parameter name longer than %d bytes",
                   HAIL_SIP_DIGEST_MAX_NAME_LEN);
      return FALSE;
    }
  *out = g_strndup (sc->s + start, sc->pos - start);
  return TRUE;
}

static gboolean
check_value_len (gsize    len,
                 GError **error)
{
  if (len <= HAIL_SIP_DIGEST_MAX_PARAM_LEN)
    return TRUE;
  g_set_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_TOO_LARGE,
               "Authentication parameter longer than %d bytes", HAIL_SIP_DIGEST_MAX_PARAM_LEN);
  return FALSE;
}

/* RFC 3261 §25.1 quoted-string, unescaped into @out. A folded line end
 * inside becomes one space; other control bytes are refused, so no value
 * can smuggle a line break into a header we write or a log. */
static gboolean
read_quoted (Scanner *sc,
             char   **out,
             GError **error)
{
  g_autoptr(GString) str = g_string_new (NULL);
  gsize open = sc->pos;

  g_assert (peek (sc) == '"');
  sc->pos++;
  for (;;)
    {
      guchar c;

      if (at_end (sc))
        {
          g_set_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_MALFORMED,
                       "Quoted string opened at offset %" G_GSIZE_FORMAT " is not closed",
                       open);
          return FALSE;
        }
      c = peek (sc);
      if (c == '"')
        {
          sc->pos++;
          break;
        }
      if (c == '\\')
        {
          sc->pos++;
          if (at_end (sc))
            continue;
          c = peek (sc);
          if (c < 0x20 || c == 0x7f)
            return unexpected (sc, "an escaped printable character", error);
          g_string_append_c (str, c);
          sc->pos++;
        }
      else if (c == '\r' || c == '\n')
        {
          gsize before = sc->pos;

          skip_lws (sc);
          if (sc->pos == before)
            return unexpected (sc, "a folded line (CRLF followed by whitespace)", error);
          g_string_append_c (str, ' ');
        }
      else if ((c < 0x20 && c != '\t') || c == 0x7f)
        {
          return unexpected (sc, "a printable character in a quoted string", error);
        }
      else
        {
          g_string_append_c (str, c);
          sc->pos++;
        }
      if (!check_value_len (str->len, error))
        return FALSE;
    }
  *out = g_string_free (g_steal_pointer (&str), FALSE);
  return TRUE;
}

/* An unquoted value: servers send realm, nonce and algorithm unquoted, and
 * not always as strict tokens (a nonce may hold "/" or "="). */
static gboolean
read_unquoted (Scanner *sc,
               char   **out,
               GError **error)
{
  gsize start = sc->pos;

  while (!at_end (sc))
    {
      guchar c = peek (sc);

      if (c <= 0x20 || c == 0x7f || c == ',' || c == '"')
        break;
      sc->pos++;
    }
  if (sc->pos == start)
    return unexpected (sc, "a parameter value", error);
  if (!check_value_len (sc->pos - start, error))
    return FALSE;
  *out = g_strndup (sc->s + start, sc->pos - start);
  return TRUE;
}

/* At a token just read: is what follows "=" and a value, making it a
 * parameter? A token68 may end in "=" padding, followed by "," or the end. */
static gboolean
is_assignment (const Scanner *sc)
{
  Scanner look = *sc;

  skip_lws (&look);
  if (peek (&look) != '=')
    return FALSE;
  look.pos++;
  skip_lws (&look);
  return !at_end (&look) && peek (&look) != '=' && peek (&look) != ',';
}

static gboolean
read_param (Scanner *sc,
            Element *element,
            char    *name,
            GError **error)
{
  Param param = { name, NULL, FALSE };

  if (element->params->len >= HAIL_SIP_DIGEST_MAX_PARAMS)
    {
      g_free (name);
      g_set_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_TOO_LARGE,
                   "More than %d parameters in one authentication challenge",
                   HAIL_SIP_DIGEST_MAX_PARAMS);
      return FALSE;
    }
  skip_lws (sc);
  g_assert (peek (sc) == '=');
  sc->pos++;
  skip_lws (sc);
  param.quoted = peek (sc) == '"';
  if (!(param.quoted ? read_quoted (sc, &param.value, error)
                     : read_unquoted (sc, &param.value, error)))
    {
      g_free (name);
      return FALSE;
    }
  g_array_append_val (element->params, param);
  return TRUE;
}

static gboolean
read_token68 (Scanner *sc,
              GError **error)
{
  gsize start = sc->pos;

  while (!at_end (sc) && is_token68_char (peek (sc)))
    sc->pos++;
  if (sc->pos == start)
    return unexpected (sc, "a parameter or token68", error);
  while (!at_end (sc) && peek (sc) == '=')
    sc->pos++;
  return check_value_len (sc->pos - start, error);
}

/* Tolerates `qop=auth,auth-int` without quotes: the second value would
 * otherwise read as a scheme of its own. */
static gboolean
continues_unquoted_qop (Element    *element,
                        const char *token)
{
  Param *last;

  if (element == NULL || element->params->len == 0)
    return FALSE;
  last = &g_array_index (element->params, Param, element->params->len - 1);
  if (last->quoted || g_ascii_strcasecmp (last->name, "qop") != 0)
    return FALSE;
  if (g_ascii_strcasecmp (token, "auth") == 0 || g_ascii_strcasecmp (token, "auth-int") == 0)
    {
      char *joined = g_strconcat (last->value, ",", token, NULL);

      g_free (last->value);
      last->value = joined;
      return TRUE;
    }
  return FALSE;
}

/* Starts a new element at its scheme and reads its first parameter or token68. */
static gboolean
read_element_start (Scanner   *sc,
                    GPtrArray *elements,
                    char      *scheme,
                    gsize     *raw_start,
                    GError   **error)
{
  Element *element;
  gsize before_lws = sc->pos;
  gsize start;
  char *name = NULL;

  if (elements->len >= HAIL_SIP_DIGEST_MAX_CHALLENGES)
    {
      g_free (scheme);
      g_set_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_TOO_LARGE,
                   "More than %d challenges or credentials in one header value",
                   HAIL_SIP_DIGEST_MAX_CHALLENGES);
      return FALSE;
    }
  element = element_new (scheme);
  g_ptr_array_add (elements, element);
  skip_lws (sc);
  *raw_start = sc->pos;
  if (at_end (sc) || peek (sc) == ',')
    return TRUE;
  if (sc->pos == before_lws)
    return unexpected (sc, "whitespace after the authentication scheme", error);

  /* Look ahead without the name bound first: a token68 may be long. */
  start = sc->pos;
  while (!at_end (sc) && is_token_char (peek (sc)))
    sc->pos++;
  if (sc->pos > start && is_assignment (sc))
    {
      sc->pos = start;
      if (!read_token (sc, &name, error))
        return FALSE;
      return read_param (sc, element, name, error);
    }
  sc->pos = start;
  return read_token68 (sc, error);
}

static void
element_set_raw (Element *element,
                 Scanner *sc,
                 gsize    raw_start,
                 gsize    raw_end)
{
  g_free (element->raw);
  element->raw = g_strndup (sc->s + raw_start, raw_end - raw_start);
}

/* Splits @value into elements (owned by the returned array). */
static GPtrArray *
parse_elements (const char *value,
                gsize       len,
                GError    **error)
{
  g_autoptr(GPtrArray) elements = g_ptr_array_new_with_free_func (element_free);
  Scanner sc = { value, len, 0 };
  Element *current = NULL;
  gsize raw_start = 0;

  if (len > HAIL_SIP_DIGEST_MAX_VALUE_LEN)
    {
      g_set_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_TOO_LARGE,
                   "Authentication header value of %" G_GSIZE_FORMAT
                   " bytes (at most %d accepted)", len, HAIL_SIP_DIGEST_MAX_VALUE_LEN);
      return NULL;
    }
  if (!g_utf8_validate_len (value, len, NULL))
    {
      g_set_error_literal (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_MALFORMED,
                           "Authentication header value is not valid UTF-8");
      return NULL;
    }

  for (;;)
    {
      char *name = NULL;

      /* RFC 7230 §7: empty list items are allowed and ignored. */
      skip_lws (&sc);
      while (peek (&sc) == ',')
        {
          sc.pos++;
          skip_lws (&sc);
        }
      if (at_end (&sc))
        break;

      if (!read_token (&sc, &name, error))
        return NULL;
      if (current != NULL && is_assignment (&sc))
        {
          if (!read_param (&sc, current, name, error))
            return NULL;
        }
      else if (continues_unquoted_qop (current, name))
        {
          g_free (name);
        }
      else
        {
          if (!read_element_start (&sc, elements, name, &raw_start, error))
            return NULL;
          current = g_ptr_array_index (elements, elements->len - 1);
        }
      element_set_raw (current, &sc, raw_start, sc.pos);

      skip_lws (&sc);
      if (!at_end (&sc) && peek (&sc) != ',')
        {
          unexpected (&sc, "',' between parameters", error);
          return NULL;
        }
    }

  if (elements->len == 0)
    {
      g_set_error_literal (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_MALFORMED,
                           "Empty authentication header value");
      return NULL;
    }
  return g_steal_pointer (&elements);
}

/* Stores @param's value into *@field, refusing a second occurrence. */
static gboolean
take_once (char       **field,
           Param       *param,
           const char  *scheme,
           GError     **error)
{
  if (*field != NULL)
    {
      g_set_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_MALFORMED,
                   "Parameter “%s” given twice in one %s value", param->name, scheme);
      return FALSE;
    }
  *field = g_steal_pointer (&param->value);
  return TRUE;
}

static gboolean
is_true (const char *value)
{
  return g_ascii_strcasecmp (value, "true") == 0;
}

static void
parse_qop_list (HailSipDigestChallenge *challenge,
                const char             *value)
{
  g_auto(GStrv) items = g_strsplit (value, ",", HAIL_SIP_DIGEST_MAX_PARAMS);

  challenge->has_qop = TRUE;
  for (guint i = 0; items[i] != NULL; i++)
    {
      const char *item = g_strstrip (items[i]);

      if (g_ascii_strcasecmp (item, "auth") == 0)
        challenge->qop |= HAIL_SIP_DIGEST_QOP_AUTH;
      else if (g_ascii_strcasecmp (item, "auth-int") == 0)
        challenge->qop |= HAIL_SIP_DIGEST_QOP_AUTH_INT;
    }
}

static gboolean
challenge_from_element (HailSipDigestChallenge *challenge,
                        Element                *element,
                        GError                **error)
{
  g_autofree char *stale = NULL;
  g_autofree char *userhash = NULL;
  g_autofree char *qop = NULL;

  challenge->scheme = g_strdup (element->scheme);
  challenge->is_digest = g_ascii_strcasecmp (element->scheme, "Digest") == 0;
  if (!challenge->is_digest)
    {
      challenge->raw = g_strdup (element->raw != NULL ? element->raw : "");
      return TRUE;
    }

  for (guint i = 0; i < element->params->len; i++)
    {
      Param *param = &g_array_index (element->params, Param, i);
      char **field = NULL;

      if (g_ascii_strcasecmp (param->name, "realm") == 0)
        field = &challenge->realm;
      else if (g_ascii_strcasecmp (param->name, "nonce") == 0)
        field = &challenge->nonce;
      else if (g_ascii_strcasecmp (param->name, "opaque") == 0)
        field = &challenge->opaque;
      else if (g_ascii_strcasecmp (param->name, "algorithm") == 0)
        field = &challenge->algorithm;
      else if (g_ascii_strcasecmp (param->name, "domain") == 0)
        field = &challenge->domain;
      else if (g_ascii_strcasecmp (param->name, "charset") == 0)
        field = &challenge->charset;
      else if (g_ascii_strcasecmp (param->name, "stale") == 0)
        field = &stale;
      else if (g_ascii_strcasecmp (param->name, "userhash") == 0)
        field = &userhash;
      else if (g_ascii_strcasecmp (param->name, "qop") == 0)
        field = &qop;
      /* RFC 7616 §3.3: unknown parameters are ignored. */
      if (field != NULL && !take_once (field, param, "Digest challenge", error))
        return FALSE;
    }

  if (challenge->realm == NULL || challenge->nonce == NULL)
    {
      g_set_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_MALFORMED,
                   "Digest challenge without %s", challenge->realm == NULL ? "realm" : "nonce");
      return FALSE;
    }
  /* RFC 7616 §3.3: no algorithm means MD5. */
  challenge->algo = challenge->algorithm == NULL
                      ? HAIL_SIP_DIGEST_ALGORITHM_MD5
                      : hail_sip_digest_algorithm_from_string (challenge->algorithm,
                                                               &challenge->sess);
  challenge->stale = stale != NULL && is_true (stale);
  challenge->userhash = userhash != NULL && is_true (userhash);
  if (qop != NULL)
    parse_qop_list (challenge, qop);
  return TRUE;
}

GPtrArray *
hail_sip_digest_parse_challenges (const char  *value,
                                  gsize        len,
                                  GError     **error)
{
  g_autoptr(GPtrArray) elements = NULL;
  g_autoptr(GPtrArray) challenges = NULL;

  g_return_val_if_fail (value != NULL || len == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  elements = parse_elements (value, len, error);
  if (elements == NULL)
    return NULL;
  challenges = g_ptr_array_new_with_free_func ((GDestroyNotify) hail_sip_digest_challenge_free);
  for (guint i = 0; i < elements->len; i++)
    {
      HailSipDigestChallenge *challenge = g_new0 (HailSipDigestChallenge, 1);

      g_ptr_array_add (challenges, challenge);
      if (!challenge_from_element (challenge, g_ptr_array_index (elements, i), error))
        return NULL;
    }
  return g_steal_pointer (&challenges);
}

static gboolean
credentials_from_element (HailSipDigestCredentials *credentials,
                          Element                  *element,
                          GError                  **error)
{
  g_autofree char *userhash = NULL;
  static const char *required[] = { "username", "realm", "nonce", "uri", "response" };
  const char *values[G_N_ELEMENTS (required)];

  credentials->scheme = g_strdup (element->scheme);
  credentials->is_digest = g_ascii_strcasecmp (element->scheme, "Digest") == 0;
  if (!credentials->is_digest)
    {
      credentials->raw = g_strdup (element->raw != NULL ? element->raw : "");
      return TRUE;
    }

  for (guint i = 0; i < element->params->len; i++)
    {
      Param *param = &g_array_index (element->params, Param, i);
      struct { const char *name; char **field; } known[] = {
        { "username", &credentials->username },
        { "realm", &credentials->realm },
        { "nonce", &credentials->nonce },
        { "uri", &credentials->uri },
        { "response", &credentials->response },
        { "algorithm", &credentials->algorithm },
        { "cnonce", &credentials->cnonce },
        { "opaque", &credentials->opaque },
        { "qop", &credentials->qop },
        { "nc", &credentials->nc },
        { "userhash", &userhash },
      };

      for (guint k = 0; k < G_N_ELEMENTS (known); k++)
        {
          if (g_ascii_strcasecmp (param->name, known[k].name) == 0)
            {
              if (!take_once (known[k].field, param, "Digest credentials", error))
                return FALSE;
              break;
            }
        }
    }

  /* RFC 3261 §25.1 dig-resp: these five are what any server needs. */
  values[0] = credentials->username;
  values[1] = credentials->realm;
  values[2] = credentials->nonce;
  values[3] = credentials->uri;
  values[4] = credentials->response;
  for (guint i = 0; i < G_N_ELEMENTS (required); i++)
    {
      if (values[i] == NULL)
        {
          g_set_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_MALFORMED,
                       "Digest credentials without %s", required[i]);
          return FALSE;
        }
    }
  credentials->userhash = userhash != NULL && is_true (userhash);
  return TRUE;
}

HailSipDigestCredentials *
hail_sip_digest_parse_credentials (const char  *value,
                                   gsize        len,
                                   GError     **error)
{
  g_autoptr(GPtrArray) elements = NULL;
  g_autoptr(HailSipDigestCredentials) credentials = NULL;

  g_return_val_if_fail (value != NULL || len == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  elements = parse_elements (value, len, error);
  if (elements == NULL)
    return NULL;
  /* RFC 3261 §7.3.1: Authorization values are never combined with commas. */
  if (elements->len != 1)
    {
      g_set_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_MALFORMED,
                   "An Authorization value holds one set of credentials, not %u",
                   elements->len);
      return NULL;
    }
  credentials = g_new0 (HailSipDigestCredentials, 1);
  if (!credentials_from_element (credentials, g_ptr_array_index (elements, 0), error))
    return NULL;
  return g_steal_pointer (&credentials);
}
