// A real OpenID Connect provider for the sign-in browser tests, listening on 127.0.0.1 only.
// Its built-in sign-in form accepts any password; the login name picks the account below.
// Usage: node server.mjs PORT CLIENT_ID CLIENT_SECRET REDIRECT_URI (also where a sign-out returns to)
import Provider from 'oidc-provider';

const [port, clientId, clientSecret, redirectUri] = process.argv.slice(2);
const issuer = `http://127.0.0.1:${port}`;

// Login name -> claims. Groups travel in the ID token so that roles can map from them.
const ACCOUNTS = {
  viewer: { email: 'viewer@example.test', groups: ['staff'] },
  editor: { email: 'editor@example.test', groups: ['staff'] },
  member: { email: 'someone@example.test', groups: ['llm-team'] },
};

const provider = new Provider(issuer, {
  clients: [{
    client_id: clientId,
    client_secret: clientSecret,
    redirect_uris: [redirectUri],
    post_logout_redirect_uris: [redirectUri],
    grant_types: ['authorization_code'],
    response_types: ['code'],
  }],
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', 'groups'] },
  conformIdTokenClaims: false,
  features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
  async findAccount(ctx, id) {
    const account = ACCOUNTS[id] || { email: `${id}@example.test`, groups: [] };
    return {
      accountId: id,
      async claims() {
        return { sub: id, name: id, email: account.email, email_verified: true, groups: account.groups };
      },
    };
  },
});
provider.proxy = false;
provider.listen(Number(port), '127.0.0.1', () => {
  console.log(`oidc ready ${issuer}`);
});
