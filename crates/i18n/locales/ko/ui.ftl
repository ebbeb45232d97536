# 포털의 문구. 페이지는 `chrome.t(...)`로 사용하며 페이지에 직접 쓴 문구는 없습니다.

brand = Accord
skip-to-content = 본문으로 건너뛰기
nav-main = 주 메뉴
nav-partner-center = 파트너 센터
nav-admin-center = 관리 센터
nav-sign-in = 로그인
nav-sign-out = 로그아웃
nav-language = 언어
lang-en = English
lang-ko = 한국어
next-page = 다음 페이지
go-home = 시작 페이지로 이동

home-title = 환영합니다
home-lead = 파트너 관계 및 위임된 관리.
home-partner = 파트너용: 고객을 초대하고 확인하고 관리합니다.
home-admin = 고객용: 파트너를 검토하고 관리합니다.
home-agreement = 고객 계약
home-agreement-text = 현재 버전의 고객 계약입니다.

signin-title = 로그인
signin-email = 이메일
signin-password = 암호
signin-submit = 로그인

error-page-code = 오류 코드
error-page-not-allowed = 허용되지 않음
error-page-not-allowed-text = 이 페이지는 그렇게 사용할 수 없습니다. 뒤로 돌아가서 페이지의 링크와 단추를 사용하세요.
error-page-internal = 문제가 발생했습니다
error-page-not-found = 찾을 수 없음
error-page-not-found-text = 그런 페이지가 없습니다.

agreement-meta = 버전 { $version }, { $published } 게시

billing = 청구
billing-accounts = 청구 계정
partners-title = 파트너 관계
partners-caption = 파트너
partners-agreement-missing = 귀하의 조직은 현재 고객 계약에 동의하지 않았습니다.
partners-agreement-read = 계약 읽기
partners-empty = 귀하의 조직에는 아직 파트너가 없습니다. 파트너는 이메일로 초대를 보내며, 파트너 디렉터리에서 파트너를 찾을 수 있습니다.
col-partner = 파트너
col-relationship = 관계
col-admin-roles = 관리자 역할
col-admin-end = 관리자 권한 종료일
col-customer = 고객
col-since = 시작일
col-status = 상태
col-asked = 요청 내용
col-addressed-to = 받는 사람
col-created = 만든 날짜
col-expires = 만료
col-actions = 작업

partner-since = 파트너 관계 시작일
partner-domain = 도메인
partner-location = 위치
partner-remove-explain = 관리자 역할을 제거하면 파트너의 위임된 관리자 액세스가 즉시 종료됩니다. 관계는 유지됩니다. 재판매인은 계속 재판매인이며 지원을 책임집니다.
partner-remove = 관리자 역할 제거
partner-remove-ask-global-admin = 전역 관리자는 이 파트너의 관리자 역할을 제거할 수 있습니다.
partner-end-contact = 이 관계를 끝내려면 { $partner }에 문의하세요. 재판매인 관계는 파트너가 끝냅니다.
partner-roles-removed = 파트너의 관리자 역할이 제거되었습니다. 관계는 유지됩니다.
partner-accepted = 고객 계약에 동의하고 { $partner }에 권한을 부여했습니다.

invite-title = 계약 동의 및 파트너 권한 부여
invite-go-partners = 파트너 관계로 이동
invite-asks = { $partner }({ $country })에서 귀하의 파트너가 되기를 요청합니다.
invite-relationship = 관계
invite-admin-privileges = 관리자 권한
invite-expires = 요청 만료
invite-admin-note = 수락하면 이 위임된 관리자 권한이 부여됩니다. 권한을 위임하지 않으려면 초대를 거절하세요. 나중에 청구 → 청구 계정 → 파트너 관계에서 제거할 수 있습니다.
invite-read = 다음을 읽으세요:
invite-agreement-link = 고객 계약
invite-agreement-version = ("{ $title }", 버전 { $version })
invite-agreement-already = 귀하의 조직이 이미 동의함
invite-accept-box = 고객 계약을 읽었으며 이에 동의합니다
invite-accept = 동의 및 권한 부여
invite-cancel = 취소

anon-title = 파트너 초대
anon-invites = { $partner }에서 귀하의 조직을 초대합니다
anon-lead = { $partner }에서 귀하의 파트너가 되기를 원합니다. 조직의 전역 관리자가 로그인한 후 요청과 고객 계약을 검토합니다.
anon-sign-in = 로그인
anon-sign-in-text = 귀하의 조직에서 이미 Accord를 사용하고 있습니다.
anon-create = 조직 만들기
anon-create-text = 조직의 첫 번째 전역 관리자가 됩니다.

declined-title = 초대를 거절했습니다
declined-text = { $partner }의 초대를 거절했습니다. 파트너와 아무것도 공유되지 않았으며 링크는 더 이상 작동하지 않습니다.

signup-title = 조직 만들기
signup-lead = { $partner }에서 초대했습니다. 조직은 { $cloud }에 만들어지며 귀하가 첫 번째 전역 관리자가 됩니다.
signup-org-name = 조직 이름
signup-domain = 도메인
signup-country = 국가
signup-admin-name = 이름
signup-admin-email = 이메일
signup-password = 암호(10자 이상)
signup-submit = 조직 만들기

sent-title = 받은 편지함을 확인하세요
sent-lead = 조직과 { $partner }의 초대에 관한 이메일을 { $email }(으)로 보냈습니다.
sent-hours = 조직 만들기를 마치려면 { $hours }시간 안에 이메일의 링크를 여세요. 링크를 열기 전에는 아무것도 만들어지지 않습니다.
sent-have-account = 이미 계정이 있으신가요?
sent-sign-in-before = 새 조직이 필요하지 않습니다.
sent-sign-in = 로그인
sent-sign-in-after = 한 후 초대 링크를 다시 여세요.
sent-no-email = 이메일이 오지 않았나요?
sent-no-email-text = 몇 분 걸릴 수 있습니다. 스팸 또는 정크 메일 폴더를 확인하고 위의 주소가 맞는지 확인하세요. 주소가 틀렸다면
sent-sign-up-again = 다시 가입하세요

confirm-lead = 이메일 주소가 확인되었습니다. 정보를 확인한 다음 조직을 만들어 { $partner }의 초대에 응답하세요.
confirm-org = 조직
confirm-domain = 도메인
confirm-country = 국가
confirm-cloud = 클라우드
confirm-admin = 첫 번째 전역 관리자
confirm-until = 링크 유효 기한
confirm-submit = 조직 만들기 및 로그인
confirm-wrong = 정보가 틀렸나요? 초대 링크를 열고 다시 가입하세요. 이 링크는 사용되지 않은 채로 남습니다.

customers-title = 고객
customers-search = 고객 검색
customers-search-button = 검색
customers-empty = 아직 고객이 없습니다. 재판매인 관계를 요청하여 고객을 초대하세요.
customers-no-match = "{ $q }"와(과) 일치하는 고객이 없습니다.
requests-title = 관계 요청
requests-empty = 아직 요청이 없습니다.
requests-revoke = 취소
requests-revoked = 요청이 취소되었습니다. 링크는 더 이상 작동하지 않습니다.
request-new = 재판매인 관계 요청
request-new-lead = 같은 국가 또는 지역 내의 고객을 재판매인 관계에 초대합니다. 다음 단계에서 맞춤형 링크가 포함된 초안 이메일 메시지를 검토합니다.
request-include-admin = 위임된 관리자 권한 포함
request-admin-explain = 위임된 관리자 권한이 있으면 종료일 없이 고객 디렉터리의 전역 관리자가 되어 사용자, 라이선스, 서비스를 관리할 수 있습니다. 고객은 언제든지 이 권한을 제거할 수 있습니다. 권한이 없으면 직접 프로비저닝한 구독만 관리할 수 있습니다.
request-admin-required = { $cloud }의 파트너는 위임된 관리자 권한을 포함해야 합니다.
request-customer-email = 고객 이메일 주소(선택 사항)
request-email-language = 이메일 언어
request-next = 다음

draft-title = 이메일 검토
draft-lead = 이 이메일을 고객에게 보내세요. 내용은 고칠 수 있지만 링크는 그대로 두세요. 링크는 고객을 귀하의 계정에 바로 연결합니다. 한 번만 사용할 수 있으며 { $expires }에 만료됩니다. Accord는 링크의 지문만 저장하므로 링크는 이 페이지에서만 볼 수 있습니다. 이 페이지 주소를 다른 사람과 공유하지 마세요.
draft-copy-link = 링크 복사
draft-link = 맞춤형 링크
draft-subject = 제목
draft-message = 메시지
draft-link-missing = 메시지에 더 이상 링크가 없습니다. 보내기 전에 링크를 다시 넣으세요.
draft-open-mail = 이메일 앱에서 열기
draft-copy = 클립보드에 복사
draft-copied = 복사했습니다.
draft-copy-failed = 여기서는 복사할 수 없습니다. 텍스트를 선택해서 복사하세요.
draft-done = 완료

asked-none = 재판매인, 관리자 권한 없음
asked-legacy = 재판매인 및 위임된 관리자(전역 관리자, 종료일 없음)
asked-granular = 재판매인 및 위임된 관리자({ $roles }, { $days }일)

confirm-revoke-title = 이 요청을 취소하시겠습니까?
confirm-revoke-explain = 링크가 즉시 작동을 멈추고 고객은 더 이상 요청을 수락할 수 없습니다. 되돌릴 수 없습니다. 고객을 다시 초대하려면 새 요청을 만드세요.
confirm-revoke = 요청 취소
confirm-remove-title = { $partner }의 관리자 역할을 제거하시겠습니까?
confirm-remove-explain = { $partner }은(는) 귀하의 조직에 대한 위임된 관리자 액세스를 즉시 잃습니다. 관계는 유지됩니다. 관리자 역할을 다시 주려면 파트너가 새 요청을 보내고 전역 관리자가 수락해야 합니다.
confirm-decline-title = { $partner }의 초대를 거절하시겠습니까?
confirm-decline-explain = 링크는 영구적으로 작동하지 않게 되며 { $partner }와(과) 아무것도 공유되지 않습니다. 나중에 이 파트너와 일하려면 새 초대를 요청하세요. 이 페이지에서 나가기만 하려면 대신 뒤로 가세요.
confirm-decline = 초대 거절
confirm-back = 뒤로
invite-decline = 거절…
requests-revoke-ask = 취소…
partner-remove-ask = 관리자 역할 제거…
signup-place-region = { $partner }은(는) { $country }({ $region })에 있으며 다음 국가의 조직과 일합니다.
signup-place-country = { $partner }은(는) { $country }에 있으며 그 국가의 조직과 일합니다.
breadcrumb = 이동 경로
billing-account = 청구 계정
