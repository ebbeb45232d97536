# 제품 코드의 이름.

cloud-public = 공용 클라우드
cloud-usgov = 미국 정부 클라우드
cloud-germany = 독일 클라우드
cloud-china = 중국 클라우드

region-asia_pacific = 아시아 태평양
region-europe = 유럽
region-greater_china = 중화권
region-india = 인도
region-latin_america = 중남미
region-middle_east_africa = 중동 및 아프리카
region-north_america = 북미

role-global_admin = 전역 관리자
role-billing_admin = 청구 관리자
role-user_admin = 사용자 관리자
role-helpdesk_admin = 기술 지원 관리자
role-license_admin = 라이선스 관리자
role-billing_reader = 청구 읽기 권한자
role-global_reader = 전역 읽기 권한자
role-user = 사용자
role-partner_admin = 파트너 관리자
role-admin_agent = 관리 에이전트
role-helpdesk_agent = 기술 지원 에이전트
role-sales_agent = 영업 에이전트
role-operator = 운영자

type-reseller = 재판매인
type-delegated_admin = 위임된 관리자
type-partner = 파트너
type-admin = 관리자
type-mpsa = MPSA 파트너
type-oem_pc = OEM PC 파트너
type-lob = LOB(기간 업무) 파트너
type-reseller_delegated_admin = 재판매인 및 위임된 관리자

status-pending = 대기 중
status-accepted = 수락됨
status-declined = 거절됨
status-revoked = 취소됨
status-expired = 만료됨

grant-approval_pending = 승인 대기 중
grant-active = 활성
grant-expiring = 곧 만료
grant-expired = 만료됨
grant-terminated = 종료됨

what-access_token = 액세스 토큰
what-agreements = 계약
what-customer_agreement = 고객 계약
what-customer = 고객
what-invitation = 초대
what-organisation = 조직
what-partner = 파트너
what-regions = 지역
what-relationship_request = 관계 요청
what-user = 사용자
what-thing = 항목

field-name = 이름
field-organisation_name = 조직 이름
field-domain = 도메인
field-country = 국가
field-email = 이메일 주소
field-password = 암호
field-role = 역할
field-q = 검색어
field-cursor = 페이지 커서
field-body = 텍스트
field-admin_name = 이름
field-admin_email = 이메일 주소
field-customer_email = 고객 이메일 주소
field-form = 양식

word-none = 없음
word-no-end-date = 종료일 없음
word-removed = 제거됨
word-expired = 만료됨
word-dash = —
types-joiner = { ", " }
list-joiner = { ", " }

ask-none = 위임된 관리자 권한 없음
ask-legacy = 위임된 관리자 권한: 귀하의 디렉터리에서 전역 관리자, 종료일 없음
ask-granular = 위임된 관리자 권한: { $roles }, { $days }일{ $auto_extend ->
        [yes] , 180일씩 자동 연장
       *[no] {""}
    }
what-page = 페이지

type-desc-reseller = 조직에 공급자의 제품을 판매하는 파트너입니다. 조직을 위해 구독과 라이선스를 구매하고 프로비저닝합니다.
type-desc-delegated_admin = 조직의 디렉터리를 관리하는 파트너입니다. 사용자 계정 만들기, 라이선스 할당 및 관리, 암호 재설정 등을 할 수 있습니다(전역 관리자).
type-desc-partner = 조직의 디렉터리에서 사용자 계정을 받아 조직을 대신해 다른 서비스와 함께 작업합니다.
type-desc-admin = 암호를 재설정하고 지원 인시던트를 처리합니다(기술 지원 수준 관리자).
type-desc-mpsa = 다중 파트너 구매 프로그램에서 조직의 각 MPSA 파트너는 다른 파트너를 통해 구매한 내역을 볼 수 있습니다.
type-desc-oem_pc = 조직이 장치 관리에 등록하는 PC의 장치 ID를 업로드합니다.
type-desc-lob = 조직을 위한 LOB(기간 업무) 앱을 개발, 제출, 관리합니다.
what-subscription = 구독
what-product = 제품
field-sku = 제품
field-quantity = 수량
field-billing = 청구 방식
field-clouds = 클라우드
field-max_quantity = 최대 사용자 수
billing-per_seat = 사용자당
billing-per_subscription = 구독당
subscription-status-active = 활성
subscription-status-cancelled = 취소됨
what-service_request = 서비스 요청
field-title = 제목
field-description = 설명
field-severity = 심각도
field-comment = 댓글
severity-critical = 심각
severity-high = 높음
severity-moderate = 보통
severity-low = 낮음
sr-status-new = 새 요청
sr-status-in_progress = 진행 중
sr-status-resolved = 해결됨
sr-status-closed = 닫힘

what-device = 장치
what-app = 앱
what-app_version = 앱 버전
field-file = 파일
field-row = 행
field-serial_number = 일련 번호
field-product_id = 제품 ID
field-hardware_hash = 하드웨어 해시
field-version = 버전
field-package_url = 패키지 URL
field-note = 사유
app-status-draft = 초안
app-status-pending_approval = 승인 대기 중
app-status-approved = 승인됨
app-status-rejected = 거부됨
app-status-withdrawn = 철회됨
app-status-retired = 사용 중지됨
field-base_url = 기본 URL
field-portal_name = 포털 이름
what-cloud = 클라우드

capability-users_read = 사용자 및 역할 읽기
capability-users_write = 사용자 만들기, 수정, 사용 안 함, 삭제
capability-roles_assign = 디렉터리 역할 할당
capability-passwords_reset_users = 사용자 암호 재설정
capability-passwords_reset_admins = 관리자 암호 재설정
capability-licenses_read = 라이선스 읽기
capability-licenses_assign = 라이선스 할당 및 제거
capability-billing_read = 구독 및 청구 읽기
capability-billing_manage = 구독 구매, 변경, 취소
capability-support_incidents = 지원 인시던트 열기 및 추적
capability-partners_manage = 파트너 관리
capability-audit_read = 기록 및 파트너 활동 읽기

activity-directory_user-created = 사용자 만들기
activity-directory_user-updated = 사용자 변경
activity-directory_user-deleted = 사용자 삭제
activity-directory_user-password_reset = 암호 재설정
activity-license-assigned = 라이선스 할당
activity-license-removed = 라이선스 제거
outcome-succeeded = 완료
outcome-denied = 거부됨(허용하는 역할 없음)
outcome-failed = 실패
what-license = 라이선스
what-access_assignment = 액세스 할당
field-display_name = 이름
field-roles = 역할
field-approved_roles = 승인한 역할
field-agent_id = 에이전트
field-action = 작업
field-from = 시작
field-until = 종료
