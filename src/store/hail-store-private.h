/* hail-store-private.h: what the files of src/store share; nothing outside
 * the folder (except white-box tests) includes it.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "hail-store-call.h"
#include "hail-store-contact.h"
#include "hail-store-conversation.h"
#include "hail-store-message.h"
#include "hail-store-types.h"

G_BEGIN_DECLS

/* Bounds on what the store accepts. Input from the network or from a file
 * beyond these is refused with HAIL_STORE_ERROR_INVALID. */
#define HAIL_STORE_SCHEMA_VERSION       3
#define HAIL_STORE_BUSY_TIMEOUT_MS      5000
#define HAIL_STORE_MAX_BODY             (1024 * 1024)   /* bytes of one message body */
#define HAIL_STORE_MAX_FIELD            4096            /* AOR, Call-ID, reason, title */
#define HAIL_STORE_MAX_PAGE             1000            /* rows per list request */
#define HAIL_STORE_MESSAGE_PAGE         200             /* messages a list loads at a time */
#define HAIL_STORE_MAX_BATCH            256             /* writes sharing one commit */
#define HAIL_STORE_MAX_QUERY            1024            /* bytes of a search query */
#define HAIL_STORE_MAX_QUERY_TERMS      16
#define HAIL_STORE_MAX_VCARD_FILE       (32 * 1024 * 1024)
#define HAIL_STORE_MAX_VCARD_LINE       (8 * 1024 * 1024)  /* one unfolded line (inline PHOTO) */
#define HAIL_STORE_MAX_VCARD_PHOTO      (4 * 1024 * 1024)  /* decoded avatar bytes */
#define HAIL_STORE_MAX_VCARD_CARDS      20000
#define HAIL_STORE_MAX_VCARD_PROPS      1000           /* properties in one card */
#define HAIL_STORE_MAX_VCARD_VALUES     64             /* TEL or SIP values in one card */

/* The worker thread's side: every function below runs on the store's one
 * worker thread, which owns the sqlite3 handle. */
typedef struct _HailStoreDb HailStoreDb;

HailStoreDb *_hail_store_db_open                (const char  *path,
                                                 GError     **error);
void         _hail_store_db_close               (HailStoreDb *db);
const char  *_hail_store_db_get_path            (HailStoreDb *db);
/* Transactions nest (savepoints inside): the worker's group commit wraps
 * whole jobs that open their own. */
gboolean     _hail_store_db_begin               (HailStoreDb  *db,
                                                 GError      **error);
gboolean     _hail_store_db_commit              (HailStoreDb  *db,
                                                 GError      **error);
/* TRUE (and forgets its transactions) when SQLite rolled back the open
 * transaction by itself, as it may on SQLITE_FULL, IOERR or NOMEM. */
gboolean     _hail_store_db_transaction_lost    (HailStoreDb  *db);

gboolean     _hail_store_db_add_message         (HailStoreDb            *db,
                                                 HailStoreMessage       *draft,
                                                 HailStoreMessage      **out_message,
                                                 HailStoreConversation **out_conversation,
                                                 gboolean               *out_duplicate,
                                                 GError                **error);
HailStoreMessage *_hail_store_db_set_message_state (HailStoreDb            *db,
                                                    gint64                  id,
                                                    HailStoreMessageState   state,
                                                    guint                   status,
                                                    const char             *reason,
                                                    GError                **error);
HailStoreMessage *_hail_store_db_set_message_mode (HailStoreDb            *db,
                                                   gint64                  id,
                                                   HailStoreMessageMode    mode,
                                                   GError                **error);
GPtrArray   *_hail_store_db_list_messages       (HailStoreDb  *db,
                                                 gint64        conversation_id,
                                                 gint64        before_id,
                                                 guint         limit,
                                                 GError      **error);
GPtrArray   *_hail_store_db_list_pending        (HailStoreDb  *db,
                                                 GError      **error);
GPtrArray   *_hail_store_db_find_partial_file  (HailStoreDb       *db,
                                                HailStoreMessage  *like,
                                                GError           **error);
gboolean     _hail_store_db_set_file_acked      (HailStoreDb  *db,
                                                 gint64        id,
                                                 guint64       acked,
                                                 const char   *hash,
                                                 GError      **error);
GPtrArray   *_hail_store_db_take_stale_parts    (HailStoreDb  *db,
                                                 gint64        failed_before,
                                                 GError      **error);
GPtrArray   *_hail_store_db_get_message         (HailStoreDb  *db,
                                                 gint64        id,
                                                 GError      **error);
GPtrArray   *_hail_store_db_search              (HailStoreDb  *db,
                                                 const char   *query,
                                                 guint         limit,
                                                 GError      **error);
GPtrArray   *_hail_store_db_list_conversations  (HailStoreDb  *db,
                                                 GError      **error);
HailStoreConversation *_hail_store_db_update_conversation (HailStoreDb  *db,
                                                           gint64        id,
                                                           gboolean      mark_read,
                                                           const char   *title,
                                                           GError      **error);
gboolean     _hail_store_db_delete_conversation (HailStoreDb  *db,
                                                 gint64        id,
                                                 GError      **error);

HailStoreCall *_hail_store_db_add_call          (HailStoreDb         *db,
                                                 HailStoreCall       *draft,
                                                 GError             **error);
HailStoreCall *_hail_store_db_answer_call       (HailStoreDb         *db,
                                                 gint64               id,
                                                 gint64               when,
                                                 GError             **error);
HailStoreCall *_hail_store_db_end_call          (HailStoreDb         *db,
                                                 gint64               id,
                                                 gint64               when,
                                                 guint                status,
                                                 const char          *reason,
                                                 GError             **error);
GPtrArray   *_hail_store_db_list_calls          (HailStoreDb  *db,
                                                 guint         limit,
                                                 GError      **error);

/* A contact as parsed from a vCard, before it is stored. */
typedef struct {
  char      *name;
  GPtrArray *sip;           /* char *, sip: or sips: URIs */
  GPtrArray *tel;           /* char *, as written */
  GBytes    *photo;         /* inline image bytes, or NULL */
  char      *photo_ext;     /* "jpeg", "png", "gif" or NULL */
  char      *photo_path;    /* a local file named by a file: URI, or NULL */
} HailStoreVcard;

void         _hail_store_vcard_free             (HailStoreVcard *card);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HailStoreVcard, _hail_store_vcard_free)

const char  *_hail_store_vcard_image_type       (GBytes      *bytes);
GPtrArray   *_hail_store_vcard_parse            (const char  *data,
                                                 gsize        len,
                                                 GError     **error);

gboolean     _hail_store_db_import_contacts     (HailStoreDb  *db,
                                                 GPtrArray    *cards,
                                                 guint        *out_count,
                                                 GError      **error);
GPtrArray   *_hail_store_db_list_contacts       (HailStoreDb  *db,
                                                 GError      **error);
HailStoreContact *_hail_store_db_find_contact   (HailStoreDb  *db,
                                                 const char   *address,
                                                 GError      **error);
gboolean     _hail_store_db_delete_contact      (HailStoreDb  *db,
                                                 gint64        id,
                                                 GError      **error);

/* The item types' properties: fields of the instance at @offsets, by pspec
 * value type (see hail-store-item.c). */
void         _hail_store_item_class_install     (GObjectClass  *object_class,
                                                 GParamSpec   **pspecs,
                                                 const gsize   *offsets,
                                                 guint          n_pspecs);
void         _hail_store_item_refresh           (GObject       *self,
                                                 GObject       *from,
                                                 GParamSpec   **mutable_pspecs,
                                                 guint          n_pspecs);

/* Main-thread updates of live items; each notifies what changed. */
void         _hail_store_message_update         (HailStoreMessage      *self,
                                                 HailStoreMessage      *from);
void         _hail_store_conversation_update    (HailStoreConversation *self,
                                                 HailStoreConversation *from);

/* Jobs: the main thread queues one per operation to the worker thread, which
 * runs it and hands it back to the caller's main context (or wakes a
 * blocking caller). A job's GTask, and so every object reference, is only
 * touched on the main context. */
typedef struct _HailStore    HailStore;
typedef struct _HailStoreJob HailStoreJob;

typedef gboolean (*HailStoreJobRun)  (HailStoreJob  *job,
                                      HailStoreDb   *db,
                                      GError       **error);
typedef void     (*HailStoreJobDone) (HailStore     *store,
                                      HailStoreJob  *job,
                                      GTask         *task);

struct _HailStoreJob
{
  HailStoreJobRun   run;    /* worker thread */
  gboolean          batchable;  /* a write that may share a transaction */
  HailStoreJobDone  done;   /* main context, on success: emits, returns the task */
  GTask            *task;   /* NULL for a blocking caller */
  GCancellable     *cancellable;
  GMainContext     *context;

  /* Input, by operation. */
  gint64            id;
  gint64            before_id;
  gint64            when;     /* taken on the main thread when queued */
  guint             number;   /* state, limit or status */
  guint             status;
  guint64           amount;   /* bytes (a file's acknowledged ones) */
  char             *text;     /* reason, title, query, path */
  GObject          *draft;
  GFile            *file;

  /* Output, by operation. */
  gboolean          ok;
  GError           *error;
  GObject          *result;
  GObject          *extra;
  GPtrArray        *rows;
  GType             item_type; /* of the rows */
  gboolean          flag;
  guint             count;

  /* Blocking callers wait on these. */
  GMutex            mutex;
  GCond             cond;
  gboolean          finished;
};

HailStoreJob *_hail_store_job_new       (HailStoreJobRun       run,
                                         HailStoreJobDone      done);
void          _hail_store_queue         (HailStore            *self,
                                         HailStoreJob         *job,
                                         gpointer              source_tag,
                                         GCancellable         *cancellable,
                                         GAsyncReadyCallback   callback,
                                         gpointer              user_data);
/* Runs @job on the worker and waits; returns it finished (free it). */
HailStoreJob *_hail_store_run_sync      (HailStore            *self,
                                         HailStoreJob         *job);
void          _hail_store_job_free      (HailStoreJob         *job);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HailStoreJob, _hail_store_job_free)

GListModel   *_hail_store_rows_to_model (GType                 item_type,
                                         GPtrArray            *rows);
void          _hail_store_return_rows   (HailStore            *store,
                                         HailStoreJob         *job,
                                         GTask                *task);
void          _hail_store_return_true   (HailStore            *store,
                                         HailStoreJob         *job,
                                         GTask                *task);
HailStoreJob *_hail_store_rows_job      (HailStoreJobRun       run,
                                         GType                 item_type);
HailStoreJob *_hail_store_write_job     (HailStoreJobRun       run,
                                         HailStoreJobDone      done,
                                         gint64                id);
void          _hail_store_return_result (HailStore            *store,
                                         HailStoreJob         *job,
                                         GTask                *task);
gint64        _hail_store_propagate_id  (GAsyncResult         *result,
                                         GError              **error);
GListModel   *_hail_store_rows_sync     (HailStore            *self,
                                         HailStoreJob         *job,
                                         GError              **error);

/* The store's signals, emitted on the main context only. */
void          _hail_store_emit_message_added        (HailStore             *self,
                                                     HailStoreMessage      *message);
void          _hail_store_emit_message_changed      (HailStore             *self,
                                                     HailStoreMessage      *message);
void          _hail_store_emit_conversation_changed (HailStore             *self,
                                                     HailStoreConversation *conversation);
void          _hail_store_emit_conversation_removed (HailStore             *self,
                                                     gint64                 id);
void          _hail_store_emit_call                 (HailStore             *self,
                                                     HailStoreCall         *call);

/* Maps a libsecret or GDBus error to HAIL_STORE_ERROR (for the tests). */
GError       *_hail_store_secrets_map_error (GError *error);

G_END_DECLS
