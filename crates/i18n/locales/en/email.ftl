# E-mails Accord sends. Each message has a subject (the value) and a .body attribute.
# Variables are filled by the sender; the texts are plain text.

signup-confirm = Confirm your e-mail address to create { $org }
    .body =
        Hello { $name },

        You asked to create the organisation { $org } ({ $domain }) in { $portal }, to answer the invitation from { $partner }. You will be its first Global admin.

        To confirm your e-mail address and create the organisation, open this link within 24 hours:

        { $link }

        If you did not ask for this, ignore this message: nothing is created without the link.

signup-account-exists = You already have an account in { $portal }
    .body =
        Hello,

        Someone, probably you, tried to create an organisation with this e-mail address, to answer the invitation from { $partner }. This address already has an account in { $portal }, so nothing was created.

        To answer the invitation, sign in at the link below, then open the invitation link again:

        { $link }

        If this was not you, ignore this message: your account has not changed.

signup-domain-taken = Your organisation was not created
    .body =
        Hello { $name },

        You asked to create the organisation { $org } in { $portal }, to answer the invitation from { $partner }. The domain { $domain } already belongs to an organisation in { $portal }, so nothing was created.

        If your organisation already uses { $portal }, ask one of its Global admins to open the invitation link and answer it, or to add you as a user. If you typed the domain wrongly, open the invitation link and sign up again.

# The partner's draft invitation, sent from the partner's own mailbox.
draft-invitation = { $partner } invites you to a reseller relationship
    .body =
        Hello,

        { $partner } would like to become your partner and sell and manage the provider's products and services for your organisation.

        To accept, a Global admin of your organisation opens this link in { $portal }, reviews the request and the customer agreement, and selects "Accept & authorise":

        { $link }

        { $admin }The link is for your organisation only, works once and expires on { $expires }.

        Kind regards,
        { $partner }
draft-invitation-admin = The request includes { $ask }. You can remove them at any time in { $portal } under Billing > Billing accounts > Partner relationships; { $partner } remains your reseller.

# A visitor's "Contact selected providers" request, to the partner's contact address.
lead-received = New lead from { $organisation }
    .body =
        Hello { $partner },

        { $name } of { $organisation } found you in the partner directory and would like to hear from you.

        Read the request and reply with a relationship request in Partner Center:

        { $link }

        You receive this because this address is the contact e-mail of your public profile.
