/* hail-sip-auth.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The client side of digest authentication for one account: which realms
 * we answered, with which nonce and nonce count, and when to stop.
 */
#include "config.h"

#include "hail-sip-auth.h"

#include "hail-sip-digest.h"
#include "hail-sip-error.h"

#include <openssl/crypto.h>
#include <string.h>

enum {
  PROP_0,
  PROP_USERNAME,
  PROP_AUTH_USER,
  PROP_WANT_INTEGRITY,
  N_PROPS
};

/* What we know of one realm: the challenge we last answered for it. Whether
 * a challenge means "wrong password" depends on what the challenged request
 * carried, so that is decided per request (HailSipAuthRequest.sent), never
 * from this shared state: requests run in parallel, and a server may hand
 * the same nonce to several of them (Kamailio's are time-based). */
typedef struct {
  HailSipAuthKind         kind;
  HailSipDigestChallenge *challenge;
  HailSipDigestQop        qop;
  guint32                 nc;         /* the last nc sent with challenge->nonce */
  gboolean                rejected;   /* the password was refused: never resend */
} Realm;

struct _HailSipAuth {
  GObject parent_instance;

  /* Account, set at construction. */
  char *username;
  char *auth_user;
  char *password;           /* wiped before free; never in a property or log */

  /* State. */
  gboolean want_integrity;
  GPtrArray *realms;        /* Realm, owned */
};

G_DEFINE_FINAL_TYPE (HailSipAuth, hail_sip_auth, G_TYPE_OBJECT)

static GParamSpec *properties[N_PROPS];

void
hail_sip_auth_header_free (HailSipAuthHeader *header)
{
  if (header == NULL)
    return;
  g_free (header->name);
  g_free (header->realm);
  g_free (header->value);
  g_free (header->nonce);
  g_free (header);
}

static void
realm_free (gpointer data)
{
  Realm *realm = data;

  hail_sip_digest_challenge_free (realm->challenge);
  g_free (realm);
}

static void
wipe_password (HailSipAuth *self)
{
  if (self->password != NULL)
    OPENSSL_cleanse (self->password, strlen (self->password));
  g_clear_pointer (&self->password, g_free);
}

static const char *
header_name (HailSipAuthKind kind)
{
  return kind == HAIL_SIP_AUTH_KIND_PROXY ? "Proxy-Authorization" : "Authorization";
}

static Realm *
find_realm (HailSipAuth     *self,
            HailSipAuthKind  kind,
            const char      *name)
{
  for (guint i = 0; i < self->realms->len; i++)
    {
      Realm *realm = g_ptr_array_index (self->realms, i);

      if (realm->kind == kind && strcmp (realm->challenge->realm, name) == 0)
        return realm;
    }
  return NULL;
}

static HailSipAuthHeader *
answer (HailSipAuth               *self,
        Realm                     *realm,
        const HailSipAuthRequest  *request,
        GError                   **error)
{
  g_autoptr(HailSipAuthHeader) header = g_new0 (HailSipAuthHeader, 1);
  HailSipDigestInput input = {
    .username = self->auth_user != NULL ? self->auth_user : self->username,
    .password = self->password,
    .method = request->method,
    .uri = request->uri,
    .body = request->body,
    .body_len = request->body_len,
    .qop = realm->qop,
    .nc = realm->nc,
    .cnonce = NULL,
  };

  header->value = hail_sip_digest_authorization (realm->challenge, &input, error);
  if (header->value == NULL)
    return NULL;
  header->name = g_strdup (header_name (realm->kind));
  header->realm = g_strdup (realm->challenge->realm);
  header->nonce = g_strdup (realm->challenge->nonce);
  return g_steal_pointer (&header);
}

/* Parses every header value; one we cannot read does not hide the others. */
static GPtrArray *
parse_all (const char * const  *values,
           GString             *problems)
{
  GPtrArray *all = g_ptr_array_new_with_free_func ((GDestroyNotify) hail_sip_digest_challenge_free);

  for (guint i = 0; values[i] != NULL; i++)
    {
      g_autoptr(GError) local_error = NULL;
      g_autoptr(GPtrArray) parsed = hail_sip_digest_parse_challenges (values[i],
                                                                      strlen (values[i]),
                                                                      &local_error);

      if (parsed == NULL)
        {
          g_debug ("Ignoring an authentication challenge: %s", local_error->message);
          g_string_append_printf (problems, "%s%s", problems->len > 0 ? "; " : "",
                                  local_error->message);
          continue;
        }
      for (guint k = 0; k < parsed->len; k++)
        g_ptr_array_add (all, g_steal_pointer (&parsed->pdata[k]));
      g_ptr_array_set_free_func (parsed, NULL);
    }
  return all;
}

static HailSipAuthHeader *
find_sent (const HailSipAuthRequest *request,
           HailSipAuthKind           kind,
           const char               *realm)
{
  if (request->sent == NULL)
    return NULL;
  for (guint i = 0; i < request->sent->len; i++)
    {
      HailSipAuthHeader *header = g_ptr_array_index (request->sent, i);

      if (strcmp (header->name, header_name (kind)) == 0 && strcmp (header->realm, realm) == 0)
        return header;
    }
  return NULL;
}

/* Decides whether @chosen, a challenge to a request that carried @sent for
 * its realm, means our password was refused; that stops all answers for the
 * realm until a new password is set, so no server can make us loop. */
static gboolean
check_not_rejected (HailSipAuth                  *self,
                    Realm                        *known,
                    const HailSipAuthHeader      *sent,
                    const HailSipDigestChallenge *chosen,
                    GError                      **error)
{
  const char *user = self->auth_user != NULL ? self->auth_user : self->username;
  const char *why = NULL;

  if (known != NULL && known->rejected)
    why = "refused before";
  else if (sent == NULL)
    return TRUE;
  /* RFC 7616 §3.3: without stale=true a challenge to our own answer means
   * the user name or password is wrong, whatever the nonce. A refused
   * pre-authorisation only means the same when the nonce did not change:
   * otherwise the server just wants a fresh nonce. */
  else if (!chosen->stale && (!sent->preauthorised || strcmp (sent->nonce, chosen->nonce) == 0))
    why = "challenged our answer again";
  else if (sent->attempt >= HAIL_SIP_AUTH_MAX_ATTEMPTS)
    why = "kept the request challenged";
  if (why == NULL)
    return TRUE;

  g_debug ("Realm “%s” %s: giving up", chosen->realm, why);
  if (known != NULL)
    known->rejected = TRUE;
  g_set_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_AUTH_REJECTED,
               "Realm “%s” refused the credentials of “%s”", chosen->realm, user);
  return FALSE;
}

static void
hail_sip_auth_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  HailSipAuth *self = HAIL_SIP_AUTH (object);

  switch (prop_id)
    {
    case PROP_USERNAME:
      g_value_set_string (value, self->username);
      break;
    case PROP_AUTH_USER:
      g_value_set_string (value, self->auth_user);
      break;
    case PROP_WANT_INTEGRITY:
      g_value_set_boolean (value, self->want_integrity);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hail_sip_auth_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  HailSipAuth *self = HAIL_SIP_AUTH (object);

  switch (prop_id)
    {
    case PROP_USERNAME:
      self->username = g_value_dup_string (value);
      break;
    case PROP_AUTH_USER:
      /* An empty auth user means "use the user name", as account forms send it. */
      if (g_value_get_string (value) != NULL && *g_value_get_string (value) != '\0')
        self->auth_user = g_value_dup_string (value);
      break;
    case PROP_WANT_INTEGRITY:
      hail_sip_auth_set_want_integrity (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hail_sip_auth_finalize (GObject *object)
{
  HailSipAuth *self = HAIL_SIP_AUTH (object);

  wipe_password (self);
  g_clear_pointer (&self->username, g_free);
  g_clear_pointer (&self->auth_user, g_free);
  g_clear_pointer (&self->realms, g_ptr_array_unref);

  G_OBJECT_CLASS (hail_sip_auth_parent_class)->finalize (object);
}

static void
hail_sip_auth_class_init (HailSipAuthClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = hail_sip_auth_get_property;
  object_class->set_property = hail_sip_auth_set_property;
  object_class->finalize = hail_sip_auth_finalize;

  properties[PROP_USERNAME] =
    g_param_spec_string ("username", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                         G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_AUTH_USER] =
    g_param_spec_string ("auth-user", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                         G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_WANT_INTEGRITY] =
    g_param_spec_boolean ("want-integrity", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
hail_sip_auth_init (HailSipAuth *self)
{
  self->realms = g_ptr_array_new_with_free_func (realm_free);
}

/**
 * hail_sip_auth_new:
 * @username: the account's user name
 * @auth_user: (nullable): the name to authenticate as, when it differs
 * @password: the password; copied, and wiped when replaced or finalized
 *
 * Returns: (transfer full): a credential cache with nothing cached yet
 */
HailSipAuth *
hail_sip_auth_new (const char *username,
                   const char *auth_user,
                   const char *password)
{
  HailSipAuth *self;

  g_return_val_if_fail (username != NULL && *username != '\0', NULL);
  g_return_val_if_fail (password != NULL, NULL);

  self = g_object_new (HAIL_TYPE_SIP_AUTH, "username", username, "auth-user", auth_user, NULL);
  self->password = g_strdup (password);
  return self;
}

const char *
hail_sip_auth_get_username (HailSipAuth *self)
{
  g_return_val_if_fail (HAIL_IS_SIP_AUTH (self), NULL);

  return self->username;
}

const char *
hail_sip_auth_get_auth_user (HailSipAuth *self)
{
  g_return_val_if_fail (HAIL_IS_SIP_AUTH (self), NULL);

  return self->auth_user;
}

gboolean
hail_sip_auth_get_want_integrity (HailSipAuth *self)
{
  g_return_val_if_fail (HAIL_IS_SIP_AUTH (self), FALSE);

  return self->want_integrity;
}

/**
 * hail_sip_auth_set_want_integrity:
 * @self: a #HailSipAuth
 * @want_integrity: whether to answer qop=auth-int when a server offers both
 *   auth and auth-int (the body is then covered by the digest)
 */
void
hail_sip_auth_set_want_integrity (HailSipAuth *self,
                                  gboolean     want_integrity)
{
  g_return_if_fail (HAIL_IS_SIP_AUTH (self));

  if (self->want_integrity == !!want_integrity)
    return;
  self->want_integrity = !!want_integrity;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WANT_INTEGRITY]);
}

void
hail_sip_auth_set_password (HailSipAuth *self,
                            const char  *password)
{
  g_return_if_fail (HAIL_IS_SIP_AUTH (self));
  g_return_if_fail (password != NULL);

  wipe_password (self);
  self->password = g_strdup (password);
  g_ptr_array_set_size (self->realms, 0);
}

GPtrArray *
hail_sip_auth_respond (HailSipAuth               *self,
                       HailSipAuthKind            kind,
                       const char * const        *challenges,
                       const HailSipAuthRequest  *request,
                       GError                   **error)
{
  g_autoptr(GString) problems = g_string_new (NULL);
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GPtrArray) chosen = g_ptr_array_new ();
  g_autoptr(GPtrArray) headers = NULL;

  g_return_val_if_fail (HAIL_IS_SIP_AUTH (self), NULL);
  g_return_val_if_fail (kind == HAIL_SIP_AUTH_KIND_WWW || kind == HAIL_SIP_AUTH_KIND_PROXY, NULL);
  g_return_val_if_fail (challenges != NULL, NULL);
  g_return_val_if_fail (request != NULL && request->method != NULL && request->uri != NULL, NULL);
  g_return_val_if_fail (request->body != NULL || request->body_len == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  all = parse_all (challenges, problems);

  /* One answer per realm (RFC 3261 §22.3: two proxies, two realms), each
   * with the strongest challenge offered for it. */
  for (guint i = 0; i < all->len; i++)
    {
      const HailSipDigestChallenge *challenge = g_ptr_array_index (all, i);
      const HailSipDigestChallenge *best;
      gboolean done = FALSE;

      if (!hail_sip_digest_challenge_is_usable (challenge))
        continue;
      for (guint k = 0; k < chosen->len && !done; k++)
        done = strcmp (((HailSipDigestChallenge *) chosen->pdata[k])->realm,
                       challenge->realm) == 0;
      if (done)
        continue;
      best = hail_sip_digest_choose (all, challenge->realm, NULL);
      g_assert (best != NULL);
      g_ptr_array_add (chosen, (gpointer) best);
    }
  if (chosen->len == 0)
    {
      g_autoptr(GError) local_error = NULL;

      if (all->len > 0)
        hail_sip_digest_choose (all, NULL, &local_error);
      g_set_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_AUTH_UNSUPPORTED, "%s%s%s",
                   local_error != NULL ? local_error->message
                                       : "No authentication challenge we can answer",
                   problems->len > 0 ? ": " : "", problems->str);
      return NULL;
    }

  /* Check every realm before changing any, so an error leaves the cache as it was
   * (apart from marking a refused realm). */
  for (guint i = 0; i < chosen->len; i++)
    {
      const HailSipDigestChallenge *challenge = g_ptr_array_index (chosen, i);

      if (!check_not_rejected (self, find_realm (self, kind, challenge->realm),
                               find_sent (request, kind, challenge->realm), challenge, error))
        return NULL;
    }

  headers = g_ptr_array_new_with_free_func ((GDestroyNotify) hail_sip_auth_header_free);
  for (guint i = 0; i < chosen->len; i++)
    {
      const HailSipDigestChallenge *challenge = g_ptr_array_index (chosen, i);
      Realm *realm = find_realm (self, kind, challenge->realm);
      HailSipAuthHeader *sent = find_sent (request, kind, challenge->realm);
      HailSipAuthHeader *header;

      if (realm == NULL)
        {
          realm = g_new0 (Realm, 1);
          realm->kind = kind;
          g_ptr_array_add (self->realms, realm);
        }
      hail_sip_digest_challenge_free (realm->challenge);
      realm->challenge = hail_sip_digest_challenge_copy (challenge);
      realm->qop = hail_sip_digest_challenge_choose_qop (challenge, self->want_integrity);
      realm->nc = 1;
      header = answer (self, realm, request, error);
      if (header == NULL)
        {
          g_ptr_array_remove (self->realms, realm);
          return NULL;
        }
      header->attempt = sent != NULL ? sent->attempt + 1 : 1;
      g_ptr_array_add (headers, header);
    }
  return g_steal_pointer (&headers);
}

GPtrArray *
hail_sip_auth_authorize (HailSipAuth               *self,
                         const HailSipAuthRequest  *request,
                         GError                   **error)
{
  g_autoptr(GPtrArray) headers = NULL;

  g_return_val_if_fail (HAIL_IS_SIP_AUTH (self), NULL);
  g_return_val_if_fail (request != NULL && request->method != NULL && request->uri != NULL, NULL);
  g_return_val_if_fail (request->body != NULL || request->body_len == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  headers = g_ptr_array_new_with_free_func ((GDestroyNotify) hail_sip_auth_header_free);
  for (guint i = 0; i < self->realms->len; i++)
    {
      Realm *realm = g_ptr_array_index (self->realms, i);
      HailSipAuthHeader *header;

      /* Without a qop a nonce cannot be counted, so reusing it is a replay
       * the server may refuse; send it anyway (RFC 2069 servers accept it)
       * but never past the counter's end. */
      if (realm->rejected || realm->nc == G_MAXUINT32)
        continue;
      realm->nc++;
      header = answer (self, realm, request, error);
      if (header == NULL)
        return NULL;
      header->preauthorised = TRUE;
      g_ptr_array_add (headers, header);
    }
  return g_steal_pointer (&headers);
}
