/* hail-chat-private.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the parts of HailChat share: hail-chat.c (the object, sending and
 * resending, typing), hail-chat-pager.c (MESSAGE both ways, IMDN),
 * hail-chat-texts.c (long texts over message sessions, incoming sessions)
 * and hail-chat-files.c (files).
 */
#pragma once

#include "hail-chat.h"
#include "hail-chat-session.h"

G_BEGIN_DECLS

enum {
  SIGNAL_MESSAGE_RECEIVED,
  SIGNAL_COMPOSING,
  SIGNAL_MESSAGE_STATE,
  SIGNAL_SESSION_REQUEST,
  SIGNAL_FILE_RECEIVED,
  SIGNAL_FILE_PROGRESS,
  SIGNAL_FILE_FAILED,
  N_SIGNALS
};

/* One peer's typing state, ours (RFC 3994 §3.2) or theirs (§4). */
typedef struct {
  HailChat *chat;        /* Borrowed: the chat owns the table. */
  char     *remote;
  gboolean  active;
  guint     idle_id;
  guint     refresh_id;
} Composing;

struct _HailChat
{
  GObject parent_instance;

  /* Owned references. */
  HailAccount  *account;
  HailStore    *store;
  GCancellable *cancellable;
  GHashTable   *ours;           /* remote -> Composing, what we send */
  GHashTable   *theirs;         /* remote -> Composing, what peers send */
  GHashTable   *sent_imdn;      /* imdn Message-ID -> row id (gint64 *) */
  GHashTable   *want_display;   /* "remote\nimdn id" of peers asking display */
  GHashTable   *seen;           /* "Call-ID\nCSeq", without a store */
  GQueue       *seen_order;
  GHashTable   *recent;         /* Call-ID -> "From\nbody checksum", newest texts */
  GQueue       *recent_order;
  GHashTable   *resending;      /* row ids (gint64 *) the user is sending again */

  /* State. */
  char         *aor;
  gulong        request_id;
  gboolean      use_cpim;
  gboolean      imdn;
  guint         idle_ms;
  guint         refresh_ms;

  /* Message sessions (issue #8). */
  GPtrArray    *sessions;       /* HailChatSession, every one open or opening */
  GHashTable   *text_sessions;  /* remote -> HailChatSession (borrowed), for texts */
  GHashTable   *waiting;        /* remote -> GPtrArray of GTask, texts waiting for open */
  guint64       max_file_size;
  guint         session_idle_s;
  guint32       session_cseq;
};

/* Sending, shared by new and pending messages. */
typedef struct {
  char    *to;
  GBytes  *body;
  char    *content_type;
  char    *call_id;
  guint32  cseq;
  char    *imdn_id;
  gint64   id;
  guint    status;
  gboolean resent;
  HailStoreMessageMode mode;
  GError  *refused;       /* Why session mode was not used, for a fallback. */
  GError  *error;
} SendOp;

extern guint _hail_chat_signals[N_SIGNALS];

/* hail-chat.c */
void     _hail_chat_record_state        (HailChat              *self,
                                         gint64                 id,
                                         HailStoreMessageState  state,
                                         guint                  status,
                                         const char            *reason);
char    *_hail_chat_describe            (const GError          *error,
                                         guint                  status,
                                         guint                 *report);
void     _hail_chat_finish_send         (GTask                 *task,
                                         HailStoreMessageState  state,
                                         guint                  report,
                                         const char            *reason);

/* hail-chat-pager.c */
void     _hail_chat_send_by_pager       (GTask                 *task);
void     _hail_chat_sent_notification_cb (GObject             *source,
                                          GAsyncResult        *result,
                                          gpointer             user_data);
void     _hail_chat_send_imdn           (HailChat              *self,
                                         const char            *to,
                                         const char            *message_id,
                                         const char            *datetime,
                                         HailSipImdnKind        kind,
                                         HailSipImdnStatus      status);
void     _hail_chat_their_composing     (HailChat              *self,
                                         const char            *from,
                                         gboolean               active,
                                         guint                  refresh);
void     _hail_chat_take_text           (HailChat              *self,
                                         HailSipPagerIncoming  *in,
                                         HailStoreMessageMode   mode);
void     _hail_chat_take_imdn           (HailChat              *self,
                                         HailSipPagerIncoming  *in);

/* hail-chat-texts.c */
gboolean _hail_chat_needs_session       (const char            *to,
                                         gsize                  body_len);
void     _hail_chat_send_by_session     (GTask                 *task);
void     _hail_chat_add_session         (HailChat              *self,
                                         HailChatSession       *session);
void     _hail_chat_incoming_session    (HailChat              *self,
                                         HailSipServerTransaction *txn,
                                         HailSipMessage        *request);

G_END_DECLS
