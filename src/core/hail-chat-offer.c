/* hail-chat-offer.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The question about one incoming message session. The chat
 * (hail-chat-texts.c) answers the INVITE; the offer only carries what a
 * front end shows and passes the decision back.
 */
#include "config.h"

#include "hail-chat-private.h"

#include <string.h>

struct _HailChatOffer
{
  GObject parent_instance;

  /* Owned references. */
  GWeakRef         chat;
  HailChatSession *session;
  char            *display_name;
  char            *file_name;
  char            *content_type;

  /* State. */
  guint64          file_size;
  gboolean         decided;
};

enum {
  PROP_0,
  PROP_DECIDED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (HailChatOffer, hail_chat_offer, G_TYPE_OBJECT)

static void
hail_chat_offer_finalize (GObject *object)
{
  HailChatOffer *self = HAIL_CHAT_OFFER (object);

  g_weak_ref_clear (&self->chat);
  g_clear_object (&self->session);
  g_free (self->display_name);
  g_free (self->file_name);
  g_free (self->content_type);

  G_OBJECT_CLASS (hail_chat_offer_parent_class)->finalize (object);
}

static void
hail_chat_offer_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  HailChatOffer *self = HAIL_CHAT_OFFER (object);

  switch (prop_id)
    {
    case PROP_DECIDED:
      g_value_set_boolean (value, self->decided);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hail_chat_offer_class_init (HailChatOfferClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = hail_chat_offer_finalize;
  object_class->get_property = hail_chat_offer_get_property;

  properties[PROP_DECIDED] =
    g_param_spec_boolean ("decided", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
hail_chat_offer_init (HailChatOffer *self)
{
  g_weak_ref_init (&self->chat, NULL);
}

/* A name from the peer as a plain file name: decoded, valid UTF-8, no
 * directory part, not hidden, no control characters; "file" when nothing
 * usable is left. */
char *
_hail_chat_safe_file_name (const char *offered)
{
  g_autofree char *decoded = offered != NULL ? g_uri_unescape_string (offered, NULL) : NULL;
  g_autofree char *base = NULL;
  GString *out;

  if (decoded == NULL || !g_utf8_validate (decoded, -1, NULL))
    return g_strdup ("file");
  /* Only what follows the last separator, of either kind. */
  base = g_strdup (MAX (strrchr (decoded, '/'), strrchr (decoded, '\\')) != NULL
                   ? MAX (strrchr (decoded, '/'), strrchr (decoded, '\\')) + 1 : decoded);
  out = g_string_new (NULL);
  for (const char *p = base; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_iscntrl (c))
        continue;
      g_string_append_unichar (out, c);
    }
  while (out->len > 0 && out->str[0] == '.')
    g_string_erase (out, 0, 1);
  /* NAME.part and " (NNN)" must still fit a 255-byte file name. */
  if (out->len > 200)
    {
      const char *cut = g_utf8_find_prev_char (out->str, out->str + 200);

      g_string_truncate (out, cut != NULL ? (gsize) (cut - out->str) : 0);
    }
  if (out->len == 0)
    g_string_assign (out, "file");
  return g_string_free (out, FALSE);
}

HailChatOffer *
_hail_chat_offer_new (HailChat        *chat,
                      HailChatSession *session,
                      const char      *display_name)
{
  HailChatOffer *self = g_object_new (HAIL_TYPE_CHAT_OFFER, NULL);
  const HailSdpFileSelector *file = hail_chat_session_get_file (session);

  g_weak_ref_set (&self->chat, chat);
  self->session = g_object_ref (session);
  self->display_name = display_name != NULL && *display_name != '\0' ? g_strdup (display_name)
                                                                      : NULL;
  if (file != NULL)
    {
      self->file_name = _hail_chat_safe_file_name (file->name);
      self->file_size = file->size > 0 ? (guint64) file->size : 0;
      self->content_type = g_strdup (file->type != NULL ? file->type
                                                        : "application/octet-stream");
    }
  else
    self->content_type = g_strdup ("text/plain");
  return self;
}

HailChatSession *
_hail_chat_offer_get_session (HailChatOffer *self)
{
  return self->session;
}

/* Marks it answered, by whoever; FALSE when it was already. */
gboolean
_hail_chat_offer_set_decided (HailChatOffer *self)
{
  if (self->decided)
    return FALSE;
  self->decided = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DECIDED]);
  return TRUE;
}

const char *
hail_chat_offer_get_remote (HailChatOffer *self)
{
  g_return_val_if_fail (HAIL_IS_CHAT_OFFER (self), NULL);

  return hail_chat_session_get_remote (self->session);
}

const char *
hail_chat_offer_get_display_name (HailChatOffer *self)
{
  g_return_val_if_fail (HAIL_IS_CHAT_OFFER (self), NULL);

  return self->display_name;
}

gboolean
hail_chat_offer_is_file (HailChatOffer *self)
{
  g_return_val_if_fail (HAIL_IS_CHAT_OFFER (self), FALSE);

  return self->file_name != NULL;
}

const char *
hail_chat_offer_get_file_name (HailChatOffer *self)
{
  g_return_val_if_fail (HAIL_IS_CHAT_OFFER (self), NULL);

  return self->file_name;
}

guint64
hail_chat_offer_get_file_size (HailChatOffer *self)
{
  g_return_val_if_fail (HAIL_IS_CHAT_OFFER (self), 0);

  return self->file_size;
}

const char *
hail_chat_offer_get_content_type (HailChatOffer *self)
{
  g_return_val_if_fail (HAIL_IS_CHAT_OFFER (self), NULL);

  return self->content_type;
}

gboolean
hail_chat_offer_get_decided (HailChatOffer *self)
{
  g_return_val_if_fail (HAIL_IS_CHAT_OFFER (self), TRUE);

  return self->decided;
}

static void
decide (HailChatOffer *self,
        gboolean       take)
{
  g_autoptr(HailChat) chat = g_weak_ref_get (&self->chat);

  if (self->decided)
    return;
  if (chat == NULL)
    {
      _hail_chat_offer_set_decided (self);
      return;
    }
  _hail_chat_decide_offer (chat, self, take);
}

void
hail_chat_offer_accept (HailChatOffer *self)
{
  g_return_if_fail (HAIL_IS_CHAT_OFFER (self));

  decide (self, TRUE);
}

void
hail_chat_offer_decline (HailChatOffer *self)
{
  g_return_if_fail (HAIL_IS_CHAT_OFFER (self));

  decide (self, FALSE);
}
