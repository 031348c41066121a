// Bahasa Indonesia by default, English on request; the choice is kept in localStorage.
// Static text carries data-i18n="key" (and data-i18n-attr="attr:key;attr:key"); dynamic text asks t().
// Bilingual content from the API ({id, en}) is shown with tx().

const LANG_KEY = 'meritest.lang';

const STRINGS = {
  id: {
    'skip': 'Langsung ke isi',
    'loading': 'Memuat…',
    'nav.home': 'Beranda',
    'nav.bank': 'Bank soal',
    'nav.accounts': 'Akun staf',
    'nav.docs': 'Referensi API',
    'nav.signin': 'Masuk',
    'nav.signout': 'Keluar',
    'nav.main': 'Navigasi utama',
    'lang.toggle': 'English',
    'lang.toggle.label': 'Tampilkan dalam bahasa Inggris',
    'footer': 'meritest · tes psikometri untuk asesmen kompetensi ASN',
    'role.admin': 'Administrator',
    'role.hr': 'SDM (HR)',
    'role.proctor': 'Pengawas',
    'role.assessor': 'Asesor',
    'role.psychologist': 'Psikolog',
    'access.denied': 'Halaman ini hanya untuk peran {roles}. Anda masuk sebagai {role} ({email}).',
    'access.home': 'Kembali ke beranda Anda',
    'and': 'dan',
    'error.server': 'Pesan server',

    'err.invalid_credentials': 'Alamat e-mail atau kata sandi salah.',
    'err.too_many_requests': 'Terlalu banyak percobaan masuk. Tunggu beberapa menit, lalu coba lagi.',
    'err.account_disabled': 'Akun ini dinonaktifkan. Hubungi administrator Anda.',
    'err.network': 'Server tidak dapat dihubungi. Periksa koneksi Anda.',
    'err.cannot_disable_self': 'Anda tidak dapat menonaktifkan akun Anda sendiri.',
    'err.email_taken': 'Alamat e-mail itu sudah dipakai akun lain.',
    'err.forbidden': 'Peran Anda tidak diizinkan melakukan ini.',
    'err.not_found': 'Tidak ditemukan.',
    'err.invalid_instrument': 'Berkas instrumen tidak valid; tidak ada yang diimpor.',
    'err.instrument_version_exists': 'Versi instrumen ini sudah ada; impor dengan nomor versi yang lebih tinggi.',
    'err.invalid_json': 'Berkas bukan JSON yang valid.',
    'err.payload_too_large': 'Berkas terlalu besar.',
    'err.invalid_input': 'Ada isian yang tidak valid.',
    'err.invalid_state_transition': 'Perubahan status ini tidak diizinkan.',
    'err.unavailable': 'Layanan sedang tidak tersedia. Coba lagi sebentar lagi.',
    'err.internal': 'Terjadi kesalahan di server.',

    'landing.title': 'meritest: tes psikometri daring untuk asesmen ASN',
    'landing.lead': 'meritest menyelenggarakan tes psikometri berwaktu (penalaran verbal, numerik, dan figural; inventori kepribadian dan gaya kerja; tes penilaian situasional) bagi ribuan peserta sekaligus di peramban, untuk asesmen kompetensi Aparatur Sipil Negara (ASN).',
    'landing.f1.title': 'Server memegang waktu',
    'landing.f1.body': 'Batas waktu setiap bagian ditetapkan server; peserta melihat hitung mundur dari sisa waktu yang dikirim server.',
    'landing.f2.title': 'Jawaban tersimpan permanen',
    'landing.f2.body': 'Jawaban baru dikonfirmasi kepada peserta setelah tercatat di basis data.',
    'landing.f3.title': 'Kunci tidak pernah ke peramban peserta',
    'landing.f3.body': 'Soal untuk peserta tidak memuat kunci, bobot opsi, maupun kunci skala.',
    'landing.f4.title': 'Skor yang dapat ditelusuri',
    'landing.f4.body': 'Setiap skor menyebut tabel norma dan versi skoring yang menghasilkannya.',
    'landing.staff.title': 'Staf',
    'landing.staff.body': 'Admin, SDM, pengawas, asesor, dan psikolog masuk dengan akun organisasinya.',
    'landing.staff.cta': 'Masuk sebagai staf',
    'landing.candidate.title': 'Peserta',
    'landing.candidate.body': 'Masuk peserta dengan kode akses dari undangan akan tersedia bersama modul pelaksanaan tes; saat ini belum dapat digunakan.',
    'landing.now.title': 'Yang sudah tersedia',
    'landing.now.body': 'Bank soal (impor, pratinjau setiap butir, ekspor, pensiun instrumen), akun staf, dan referensi API. Pelaksanaan tes peserta, pengawasan langsung, dan laporan SDM adalah tahap berikutnya.',
    'landing.docs': 'Referensi API',
    'landing.format': 'Format berkas instrumen',

    'login.title': 'Masuk staf',
    'login.intro': 'Masuk dengan alamat e-mail dan kata sandi akun staf Anda.',
    'login.email': 'Alamat e-mail',
    'login.password': 'Kata sandi',
    'login.submit': 'Masuk',
    'login.busy': 'Memeriksa…',
    'login.expired': 'Sesi Anda telah berakhir. Silakan masuk lagi.',
    'login.signedout': 'Anda telah keluar.',
    'login.already': 'Anda sudah masuk sebagai {name}.',
    'login.continue': 'Lanjutkan',
    'login.candidates': 'Peserta tes: masuk dengan kode akses akan tersedia bersama modul pelaksanaan tes.',

    'home.title': 'Beranda',
    'home.welcome': 'Selamat datang, {name}',
    'home.you': 'Akun Anda',
    'home.name': 'Nama',
    'home.email': 'E-mail',
    'home.role': 'Peran',
    'home.org': 'Organisasi',
    'home.can': 'Yang dapat Anda gunakan sekarang',
    'home.link.bank': 'Lihat, impor, ekspor, dan pensiunkan instrumen; pratinjau setiap butir seperti yang dilihat peserta.',
    'home.link.accounts': 'Buat, nonaktifkan, dan aktifkan kembali akun staf organisasi.',
    'home.link.docs': 'Semua endpoint, parameter dan skema, dengan formulir “Coba”.',
    'home.link.format': 'Format berkas instrumen (meritest.instrument/1)',
    'home.link.format.desc': 'Cara menulis berkas JSON untuk diimpor ke bank soal.',
    'home.next.title': 'Segera hadir',
    'home.next.admin': 'Kampanye asesmen, pendaftaran peserta, dan laporan hasil hadir pada tahap berikutnya.',
    'home.next.hr': 'Kampanye asesmen, pendaftaran peserta, dan laporan hasil dengan grafik hadir pada tahap berikutnya.',
    'home.next.proctor': 'Ruang kerja pengawas (pemantauan ruang secara langsung, jeda, tambahan waktu, penghentian) hadir bersama modul pelaksanaan tes.',
    'home.next.assessor': 'Ruang kerja asesor (penilaian dan rating) hadir pada tahap berikutnya.',
    'home.next.psychologist': 'Ruang kerja psikolog (telaah dan rilis laporan) hadir pada tahap berikutnya.',

    'bank.title': 'Bank soal',
    'bank.intro': 'Instrumen organisasi Anda. Buka satu instrumen untuk melihat setiap butir seperti yang dilihat peserta.',
    'bank.filter': 'Status',
    'bank.filter.active': 'Aktif',
    'bank.filter.retired': 'Dipensiunkan',
    'bank.filter.all': 'Semua',
    'bank.import': 'Impor instrumen (JSON)…',
    'bank.format': 'Format berkas',
    'bank.list': 'Daftar instrumen',
    'bank.col.code': 'Kode',
    'bank.col.name': 'Nama',
    'bank.col.kind': 'Jenis',
    'bank.col.version': 'Versi',
    'bank.col.items': 'Butir',
    'bank.col.scales': 'Skala',
    'bank.col.status': 'Status',
    'bank.col.open': 'Buka',
    'bank.open': 'Buka',
    'bank.opened': 'Terbuka',
    'bank.count': '{n} instrumen',
    'bank.empty': 'Tidak ada instrumen dengan status ini.',
    'bank.export': 'Ekspor JSON',
    'bank.retire': 'Pensiunkan…',
    'bank.close': 'Tutup',
    'bank.retire.title': 'Pensiunkan instrumen ini?',
    'bank.retire.body': '{name} ({code} versi {version}) tidak akan ditawarkan lagi untuk baterai baru. Instrumen tetap disimpan untuk riwayat dan skoring ulang. Tindakan ini tidak dapat dibatalkan.',
    'bank.retire.confirm': 'Ya, pensiunkan',
    'bank.retire.done': '{code} versi {version} telah dipensiunkan.',
    'bank.cancel': 'Batal',
    'bank.source': 'Sumber',
    'bank.imported': 'Diimpor',
    'bank.retiredAt': 'Dipensiunkan',
    'bank.items.count': '{n} butir ({scored} diskor)',
    'bank.showkey': 'Tampilkan kunci skoring',
    'bank.itemlang': 'Bahasa butir',
    'bank.instructions': 'Petunjuk untuk peserta',
    'bank.scales': 'Skala',
    'bank.scale.code': 'Kode',
    'bank.scale.name': 'Nama',
    'bank.scale.aggregate': 'Agregasi',
    'bank.scale.description': 'Keterangan',
    'bank.aggregate.sum': 'jumlah',
    'bank.aggregate.mean': 'rerata',
    'bank.norms': 'Tabel norma',
    'bank.norms.none': 'Instrumen ini belum memiliki tabel norma.',
    'bank.norms.illustrative': 'ilustratif',
    'bank.norms.empirical': 'empiris',
    'bank.norms.note': 'Tabel bertanda “ilustratif” adalah contoh, bukan norma empiris: jangan dipakai untuk keputusan.',
    'bank.norm.scale': 'Skala',
    'bank.norm.group': 'Kelompok norma',
    'bank.norm.n': 'n',
    'bank.norm.mean': 'Rerata',
    'bank.norm.sd': 'SB',
    'bank.norm.method': 'Metode',
    'bank.norm.kind': 'Sifat',
    'bank.items': 'Butir',
    'bank.exported': 'Berkas {file} diunduh.',

    'kind.cognitive': 'Kognitif',
    'kind.personality': 'Kepribadian',
    'kind.situational': 'Penilaian situasional',
    'kind.preference': 'Preferensi (pilihan paksa)',
    'kind.work_style': 'Gaya kerja',
    'status.active': 'Aktif',
    'status.retired': 'Dipensiunkan',

    'format.single_choice': 'Pilihan tunggal',
    'format.weighted_options': 'Opsi berbobot',
    'format.likert': 'Likert',
    'format.forced_choice': 'Pilihan paksa',
    'format.most_least': 'Paling/paling tidak',
    'format.numeric_entry': 'Isian angka',

    'item.no': 'Soal {n}',
    'item.practice': 'Latihan',
    'item.options': 'Pilihan jawaban',
    'item.fc.lead': 'Pilih pernyataan yang lebih menggambarkan diri Anda.',
    'item.ml.lead': 'Pilih satu pernyataan yang paling menggambarkan diri Anda dan satu yang paling tidak menggambarkan diri Anda.',
    'item.ml.statement': 'Pernyataan',
    'item.ml.most': 'Paling sesuai',
    'item.ml.least': 'Paling tidak sesuai',
    'item.numeric.label': 'Jawaban (angka)',
    'item.image.alt': 'Gambar soal {code}',
    'item.option.image.alt': 'Gambar pilihan {letter}',
    'item.image.loading': 'Memuat gambar…',
    'item.image.error': 'Gambar {name} gagal dimuat',

    'key.title': 'Kunci skoring',
    'key.mark': '✓ Kunci',
    'key.scale': 'Skala: {scale}',
    'key.single': 'Jawaban benar: {letter} (1 poin; pilihan lain 0).',
    'key.weight': '{w} poin',
    'key.weighted': 'Skor butir = bobot pilihan yang dipilih.',
    'key.likert.forward': 'Dikunci searah: poin 1…{k} memberi skor 1…{k}.',
    'key.likert.reverse': 'Dikunci terbalik: skor = {k1} − poin (poin 1 memberi {k}).',
    'key.fc': 'Pernyataan yang dipilih memberi 1 poin untuk skalanya.',
    'key.ml': '“Paling sesuai”: +1 untuk skala pernyataan itu; “paling tidak sesuai”: −1.',
    'key.numeric': 'Jawaban: {answer}; toleransi ± {tol}.',
    'key.practice': 'Butir latihan: tidak diskor.',

    'import.checking': 'Memeriksa {file} (uji coba, belum menyimpan apa pun)…',
    'import.valid': 'Valid: {code} versi {version}, {items} butir, {norms} tabel norma. Belum ada yang disimpan.',
    'import.confirm': 'Impor sekarang',
    'import.importing': 'Mengimpor…',
    'import.invalid': '{file} tidak dapat diimpor; tidak ada yang disimpan.',
    'import.errors': '{n} kesalahan, per butir dan kolom:',
    'import.col.item': 'Butir',
    'import.col.field': 'Kolom',
    'import.col.message': 'Masalah',
    'import.done': 'Diimpor: {code} versi {version} ({items} butir).',
    'import.readError': 'Berkas tidak dapat dibaca.',
    'import.none': '(instrumen)',

    'accounts.title': 'Akun staf',
    'accounts.intro': 'Akun staf organisasi {org}. Akun yang dinonaktifkan tidak dapat masuk, dan tokennya langsung berhenti berlaku.',
    'accounts.list': 'Daftar akun',
    'accounts.count': '{n} akun',
    'accounts.create': 'Buat akun',
    'accounts.email': 'Alamat e-mail',
    'accounts.name': 'Nama lengkap',
    'accounts.role': 'Peran',
    'accounts.password': 'Kata sandi awal',
    'accounts.password.hint': '10–128 karakter; sampaikan kepada pemilik akun secara aman.',
    'accounts.submit': 'Buat akun',
    'accounts.created': 'Akun {email} dibuat dengan peran {role}.',
    'accounts.col.email': 'E-mail',
    'accounts.col.name': 'Nama',
    'accounts.col.role': 'Peran',
    'accounts.col.status': 'Status',
    'accounts.col.created': 'Dibuat',
    'accounts.col.actions': 'Tindakan',
    'accounts.active': 'Aktif',
    'accounts.disabled': 'Nonaktif',
    'accounts.disable': 'Nonaktifkan',
    'accounts.enable': 'Aktifkan',
    'accounts.you': '(Anda)',
    'accounts.disabled.done': '{email} dinonaktifkan.',
    'accounts.enabled.done': '{email} diaktifkan kembali.',

    'format.title': 'Format berkas instrumen',
    'format.note': 'Dokumen format ini ditulis dalam bahasa Inggris.',
    'format.raw': 'Teks Markdown aslinya',
    'docs.title': 'Referensi API',
    'docs.intro': 'Dibangun langsung dari /api/openapi.json. Setiap galat menjawab {"code", "message"} dengan kode yang stabil.',
    'docs.auth.in': 'Anda masuk sebagai {email} ({role}); formulir “Coba” mengirim token Anda.',
    'docs.auth.out': 'Anda belum masuk: permintaan dikirim tanpa token, sehingga endpoint yang dilindungi menjawab 401.',
    'docs.count': '{n} endpoint dalam {g} kelompok',
    'docs.params': 'Parameter',
    'docs.param.name': 'Nama',
    'docs.param.in': 'Letak',
    'docs.param.type': 'Tipe',
    'docs.param.required': 'Wajib',
    'docs.param.description': 'Keterangan',
    'docs.body': 'Isi permintaan',
    'docs.responses': 'Jawaban',
    'docs.try': 'Coba',
    'docs.send': 'Kirim',
    'docs.sending': 'Mengirim…',
    'docs.status': 'Status',
    'docs.secured': 'perlu token',
    'docs.yes': 'ya',
    'docs.no': 'tidak',
    'docs.noschema': 'tanpa skema',
    'docs.seeAbove': '(rinciannya di atas)',
    'docs.bodyLabel': 'Isi (JSON)',
    'docs.schemas': 'Skema',
    'docs.openapi': 'Dokumen OpenAPI',
    'docs.binary': 'Jawaban biner ({type}, {size} bita).',
  },
  en: {
    'skip': 'Skip to content',
    'loading': 'Loading…',
    'nav.home': 'Home',
    'nav.bank': 'Item bank',
    'nav.accounts': 'Staff accounts',
    'nav.docs': 'API reference',
    'nav.signin': 'Sign in',
    'nav.signout': 'Sign out',
    'nav.main': 'Main navigation',
    'lang.toggle': 'Bahasa Indonesia',
    'lang.toggle.label': 'Show in Bahasa Indonesia',
    'footer': 'meritest · psychometric tests for civil-servant (ASN) competency assessment',
    'role.admin': 'Administrator',
    'role.hr': 'HR',
    'role.proctor': 'Proctor',
    'role.assessor': 'Assessor',
    'role.psychologist': 'Psychologist',
    'access.denied': 'This page is only for the {roles} role. You are signed in as {role} ({email}).',
    'access.home': 'Back to your home page',
    'and': 'and',
    'error.server': 'Server message',

    'err.invalid_credentials': null,
    'err.too_many_requests': null,
    'err.account_disabled': null,
    'err.network': null,

    'landing.title': 'meritest: online psychometric testing for ASN assessment',
    'landing.lead': 'meritest delivers timed psychometric tests (verbal, numerical and figural reasoning; personality and work-style inventories; situational judgement) to thousands of candidates at once in a browser, for the competency assessment of Indonesian civil servants (ASN).',
    'landing.f1.title': 'The server owns the clock',
    'landing.f1.body': 'Section deadlines are set by the server; candidates see a countdown from the remaining time the server sends.',
    'landing.f2.title': 'Every acknowledged answer is durable',
    'landing.f2.body': 'An answer is confirmed to the candidate only after it is recorded in the database.',
    'landing.f3.title': 'Keys never reach the candidate’s browser',
    'landing.f3.body': 'Items sent to candidates carry no key, option weights or scale keys.',
    'landing.f4.title': 'Traceable scores',
    'landing.f4.body': 'Every score names the norm table and scoring version that produced it.',
    'landing.staff.title': 'Staff',
    'landing.staff.body': 'Admins, HR, proctors, assessors and psychologists sign in with their organisation’s accounts.',
    'landing.staff.cta': 'Staff sign-in',
    'landing.candidate.title': 'Candidates',
    'landing.candidate.body': 'Candidate sign-in with the access code from an invitation arrives with test delivery; it is not available yet.',
    'landing.now.title': 'Available now',
    'landing.now.body': 'The item bank (import, preview of every item, export, retiring instruments), staff accounts and the API reference. Candidate test delivery, live proctoring and HR reports are the next milestones.',
    'landing.docs': 'API reference',
    'landing.format': 'Instrument file format',

    'login.title': 'Staff sign-in',
    'login.intro': 'Sign in with the e-mail address and password of your staff account.',
    'login.email': 'E-mail address',
    'login.password': 'Password',
    'login.submit': 'Sign in',
    'login.busy': 'Checking…',
    'login.expired': 'Your session has ended. Please sign in again.',
    'login.signedout': 'You have signed out.',
    'login.already': 'You are already signed in as {name}.',
    'login.continue': 'Continue',
    'login.candidates': 'Test candidates: sign-in with an access code arrives with test delivery.',

    'home.title': 'Home',
    'home.welcome': 'Welcome, {name}',
    'home.you': 'Your account',
    'home.name': 'Name',
    'home.email': 'E-mail',
    'home.role': 'Role',
    'home.org': 'Organisation',
    'home.can': 'What you can use now',
    'home.link.bank': 'Browse, import, export and retire instruments; preview every item as a candidate sees it.',
    'home.link.accounts': 'Create, disable and re-enable your organisation’s staff accounts.',
    'home.link.docs': 'Every endpoint, its parameters and schemas, with a “Try it” form.',
    'home.link.format': 'Instrument file format (meritest.instrument/1)',
    'home.link.format.desc': 'How to write a JSON file to import into the item bank.',
    'home.next.title': 'Coming next',
    'home.next.admin': 'Assessment campaigns, candidate enrolment and result reports arrive in the next milestones.',
    'home.next.hr': 'Assessment campaigns, candidate enrolment and result reports with charts arrive in the next milestones.',
    'home.next.proctor': 'The proctor workspace (live room view, pause, extra time, termination) arrives with test delivery.',
    'home.next.assessor': 'The assessor workspace (ratings) arrives in a next milestone.',
    'home.next.psychologist': 'The psychologist workspace (review and report release) arrives in a next milestone.',

    'bank.title': 'Item bank',
    'bank.intro': 'Your organisation’s instruments. Open one to see every item as a candidate sees it.',
    'bank.filter': 'Status',
    'bank.filter.active': 'Active',
    'bank.filter.retired': 'Retired',
    'bank.filter.all': 'All',
    'bank.import': 'Import instrument (JSON)…',
    'bank.format': 'File format',
    'bank.list': 'Instruments',
    'bank.col.code': 'Code',
    'bank.col.name': 'Name',
    'bank.col.kind': 'Kind',
    'bank.col.version': 'Version',
    'bank.col.items': 'Items',
    'bank.col.scales': 'Scales',
    'bank.col.status': 'Status',
    'bank.col.open': 'Open',
    'bank.open': 'Open',
    'bank.opened': 'Open',
    'bank.count': '{n} instruments',
    'bank.empty': 'No instruments with this status.',
    'bank.export': 'Export JSON',
    'bank.retire': 'Retire…',
    'bank.close': 'Close',
    'bank.retire.title': 'Retire this instrument?',
    'bank.retire.body': '{name} ({code} version {version}) will no longer be offered for new batteries. It stays stored for history and re-scoring. This cannot be undone.',
    'bank.retire.confirm': 'Yes, retire',
    'bank.retire.done': '{code} version {version} has been retired.',
    'bank.cancel': 'Cancel',
    'bank.source': 'Source',
    'bank.imported': 'Imported',
    'bank.retiredAt': 'Retired',
    'bank.items.count': '{n} items ({scored} scored)',
    'bank.showkey': 'Show scoring key',
    'bank.itemlang': 'Item language',
    'bank.instructions': 'Instructions for candidates',
    'bank.scales': 'Scales',
    'bank.scale.code': 'Code',
    'bank.scale.name': 'Name',
    'bank.scale.aggregate': 'Aggregate',
    'bank.scale.description': 'Description',
    'bank.aggregate.sum': 'sum',
    'bank.aggregate.mean': 'mean',
    'bank.norms': 'Norm tables',
    'bank.norms.none': 'This instrument has no norm tables yet.',
    'bank.norms.illustrative': 'illustrative',
    'bank.norms.empirical': 'empirical',
    'bank.norms.note': 'Tables marked “illustrative” are examples, not empirical norms: do not base decisions on them.',
    'bank.norm.scale': 'Scale',
    'bank.norm.group': 'Norm group',
    'bank.norm.n': 'n',
    'bank.norm.mean': 'Mean',
    'bank.norm.sd': 'SD',
    'bank.norm.method': 'Method',
    'bank.norm.kind': 'Nature',
    'bank.items': 'Items',
    'bank.exported': 'Downloaded {file}.',

    'kind.cognitive': 'Cognitive',
    'kind.personality': 'Personality',
    'kind.situational': 'Situational judgement',
    'kind.preference': 'Preference (forced choice)',
    'kind.work_style': 'Work style',
    'status.active': 'Active',
    'status.retired': 'Retired',

    'format.single_choice': 'Single choice',
    'format.weighted_options': 'Weighted options',
    'format.likert': 'Likert',
    'format.forced_choice': 'Forced choice',
    'format.most_least': 'Most/least',
    'format.numeric_entry': 'Numeric entry',

    'item.no': 'Item {n}',
    'item.practice': 'Practice',
    'item.options': 'Answer options',
    'item.fc.lead': 'Choose the statement that is more like you.',
    'item.ml.lead': 'Choose the statement most like you and the one least like you.',
    'item.ml.statement': 'Statement',
    'item.ml.most': 'Most like me',
    'item.ml.least': 'Least like me',
    'item.numeric.label': 'Answer (number)',
    'item.image.alt': 'Figure of item {code}',
    'item.option.image.alt': 'Figure of option {letter}',
    'item.image.loading': 'Loading figure…',
    'item.image.error': 'Figure {name} could not be loaded',

    'key.title': 'Scoring key',
    'key.mark': '✓ Key',
    'key.scale': 'Scale: {scale}',
    'key.single': 'Correct answer: {letter} (1 point; other options 0).',
    'key.weight': '{w} points',
    'key.weighted': 'Item score = weight of the chosen option.',
    'key.likert.forward': 'Forward keyed: points 1…{k} score 1…{k}.',
    'key.likert.reverse': 'Reverse keyed: score = {k1} − point (point 1 scores {k}).',
    'key.fc': 'The chosen statement gives 1 point to its scale.',
    'key.ml': '“Most like me”: +1 to that statement’s scale; “least like me”: −1.',
    'key.numeric': 'Answer: {answer}; tolerance ± {tol}.',
    'key.practice': 'Practice item: not scored.',

    'import.checking': 'Checking {file} (dry run, nothing is stored)…',
    'import.valid': 'Valid: {code} version {version}, {items} items, {norms} norm tables. Nothing stored yet.',
    'import.confirm': 'Import now',
    'import.importing': 'Importing…',
    'import.invalid': '{file} cannot be imported; nothing was stored.',
    'import.errors': '{n} errors, by item and field:',
    'import.col.item': 'Item',
    'import.col.field': 'Field',
    'import.col.message': 'Problem',
    'import.done': 'Imported: {code} version {version} ({items} items).',
    'import.readError': 'The file could not be read.',
    'import.none': '(instrument)',

    'accounts.title': 'Staff accounts',
    'accounts.intro': 'Staff accounts of {org}. A disabled account cannot sign in, and its tokens stop working at once.',
    'accounts.list': 'Accounts',
    'accounts.count': '{n} accounts',
    'accounts.create': 'Create an account',
    'accounts.email': 'E-mail address',
    'accounts.name': 'Full name',
    'accounts.role': 'Role',
    'accounts.password': 'Initial password',
    'accounts.password.hint': '10–128 characters; pass it to the account’s owner safely.',
    'accounts.submit': 'Create account',
    'accounts.created': 'Account {email} created with the role {role}.',
    'accounts.col.email': 'E-mail',
    'accounts.col.name': 'Name',
    'accounts.col.role': 'Role',
    'accounts.col.status': 'Status',
    'accounts.col.created': 'Created',
    'accounts.col.actions': 'Actions',
    'accounts.active': 'Active',
    'accounts.disabled': 'Disabled',
    'accounts.disable': 'Disable',
    'accounts.enable': 'Enable',
    'accounts.you': '(you)',
    'accounts.disabled.done': '{email} has been disabled.',
    'accounts.enabled.done': '{email} has been enabled again.',

    'format.title': 'Instrument file format',
    'format.note': 'This format document is written in English.',
    'format.raw': 'Its Markdown source',
    'docs.title': 'API reference',
    'docs.intro': 'Built straight from /api/openapi.json. Every error answers {"code", "message"} with a stable code.',
    'docs.auth.in': 'You are signed in as {email} ({role}); the “Try it” forms send your token.',
    'docs.auth.out': 'You are not signed in: requests go without a token, so protected endpoints answer 401.',
    'docs.count': '{n} endpoints in {g} groups',
    'docs.params': 'Parameters',
    'docs.param.name': 'Name',
    'docs.param.in': 'In',
    'docs.param.type': 'Type',
    'docs.param.required': 'Required',
    'docs.param.description': 'Description',
    'docs.body': 'Request body',
    'docs.responses': 'Responses',
    'docs.try': 'Try it',
    'docs.send': 'Send',
    'docs.sending': 'Sending…',
    'docs.status': 'Status',
    'docs.secured': 'needs a token',
    'docs.yes': 'yes',
    'docs.no': 'no',
    'docs.noschema': 'no schema',
    'docs.seeAbove': '(details above)',
    'docs.bodyLabel': 'Body (JSON)',
    'docs.schemas': 'Schemas',
    'docs.openapi': 'OpenAPI document',
    'docs.binary': 'Binary response ({type}, {size} bytes).',
  },
};

/** The language in force: "id" (default) or "en". */
export function lang() {
  try {
    return localStorage.getItem(LANG_KEY) === 'en' ? 'en' : 'id';
  } catch {
    return 'id';
  }
}

/** Whether a translation exists for key in the current language (null entries mean "use the API's words"). */
export function has(key) {
  const v = STRINGS[lang()][key];
  return v !== undefined && v !== null;
}

/** A UI string with {placeholders} filled. Falls back to Indonesian, then to the key. */
export function t(key, vars) {
  let s = STRINGS[lang()][key];
  if (s === undefined || s === null) s = STRINGS.id[key];
  if (s === undefined || s === null) s = key;
  if (vars) s = s.replace(/\{(\w+)\}/g, (m, name) => (name in vars ? String(vars[name]) : m));
  return s;
}

/** Bilingual API text {id, en}: English when asked for and present, else Indonesian. */
export function tx(text) {
  if (text == null) return '';
  if (typeof text === 'string') return text;
  if (lang() === 'en' && typeof text.en === 'string' && text.en.trim() !== '') return text.en;
  return text.id ?? text.en ?? '';
}

/** Fills every data-i18n element and attribute under root, and the page language. */
export function applyTranslations(root = document) {
  document.documentElement.lang = lang();
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll('[data-i18n-attr]')) {
    for (const pair of el.dataset.i18nAttr.split(';')) {
      const [attr, key] = pair.split(':').map((s) => s.trim());
      if (attr && key) el.setAttribute(attr, t(key));
    }
  }
  for (const btn of document.querySelectorAll('[data-lang-toggle]')) {
    btn.textContent = t('lang.toggle');
    btn.setAttribute('lang', lang() === 'id' ? 'en' : 'id');
    btn.setAttribute('aria-label', t('lang.toggle.label'));
  }
  const title = document.querySelector('title[data-i18n]');
  if (title) document.title = t(title.dataset.i18n) + (title.dataset.suffix || '');
}

/** Switches the language, re-translates the page and tells the page module (event "langchange"). */
export function setLang(l) {
  try {
    localStorage.setItem(LANG_KEY, l === 'en' ? 'en' : 'id');
  } catch {
    /* private mode: the toggle still works for this page */
  }
  applyTranslations();
  document.dispatchEvent(new CustomEvent('langchange', { detail: { lang: lang() } }));
}

/** Wires every [data-lang-toggle] button and translates the page once. */
export function initI18n() {
  applyTranslations();
  document.addEventListener('click', (e) => {
    const btn = e.target.closest && e.target.closest('[data-lang-toggle]');
    if (btn) setLang(lang() === 'id' ? 'en' : 'id');
  });
  // Another tab changed the language.
  window.addEventListener('storage', (e) => {
    if (e.key === LANG_KEY) {
      applyTranslations();
      document.dispatchEvent(new CustomEvent('langchange', { detail: { lang: lang() } }));
    }
  });
}

/** A role's display name. */
export function roleName(role) {
  return t('role.' + role);
}

/** Formats a list of words: "a, b dan c". */
export function joinWords(words) {
  if (words.length <= 1) return words.join('');
  return words.slice(0, -1).join(', ') + ' ' + t('and') + ' ' + words[words.length - 1];
}

/** Formats a date-time for people, in the page language. */
export function formatDate(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString(lang() === 'en' ? 'en-GB' : 'id-ID', { dateStyle: 'medium', timeStyle: 'short' });
}
