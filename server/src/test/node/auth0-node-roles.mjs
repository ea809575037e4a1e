// Drives roles and permissions with Auth0's Node SDK (npm auth0 4.x) ManagementClient: roles.create,
// roles.addPermissions with an API's permissions, users.assignRoles and roles.assignUsers, then
// users.getRoles, users.getPermissions and roles.getPermissions page by page with include_totals,
// roles.getUsers by offset and by checkpoint (take, from, next), then users.deleteRoles and
// roles.deletePermissions, and an unknown role refused. The server's certificate is trusted through
// NODE_EXTRA_CA_CERTS. Prints one JSON line; exit 1 on failure.
import { ManagementClient } from 'auth0';
import { check, env } from './peer-support.mjs';

const management = new ManagementClient({ domain: env('DOMAIN'), token: env('TOKEN') });
const api = env('API');
const [first, ...others] = env('USERS').split(',');

/** Every item of a paged list, asking page 0, 1, ... with `per_page` 2 until a page comes back empty. */
async function pages(list, params, collection) {
  const items = [];
  let total;
  for (let page = 0; page < 10; page++) {
    const { data } = await list({ ...params, per_page: 2, page, include_totals: true });
    total = data.total;
    if (data[collection].length === 0) break;
    items.push(...data[collection]);
  }
  check(total === items.length, `total ${total} but ${items.length} ${collection} seen`);
  return items;
}

const permission = (name) => ({ resource_server_identifier: api, permission_name: name });

try {
  const { data: doctor } = await management.roles.create({ name: 'Doctor', description: 'Sees patients' });
  const { data: nurse } = await management.roles.create({ name: 'Nurse' });
  const { data: admin } = await management.roles.create({ name: 'Admin', description: 'Runs the ward' });
  check(doctor.id && doctor.name === 'Doctor' && doctor.description === 'Sees patients', 'role shape', doctor);
  await management.roles.addPermissions({ id: doctor.id },
    { permissions: [permission('read:patients'), permission('write:patients')] });
  await management.roles.addPermissions({ id: nurse.id }, { permissions: [permission('read:patients')] });
  await management.roles.addPermissions({ id: admin.id }, { permissions: [permission('read:admin')] });

  await management.users.assignRoles({ id: first }, { roles: [doctor.id, nurse.id, admin.id] });
  await management.roles.assignUsers({ id: doctor.id }, { users: others });

  const userRoles = await pages((p) => management.users.getRoles(p), { id: first }, 'roles');
  const userPermissions = await pages((p) => management.users.getPermissions(p), { id: first }, 'permissions');
  const rolePermissions = await pages((p) => management.roles.getPermissions(p), { id: doctor.id }, 'permissions');
  const roleUsers = await pages((p) => management.roles.getUsers(p), { id: doctor.id }, 'users');
  const checkpointed = [];
  let from;
  for (let call = 0; call < 10; call++) {
    const { data } = await management.roles.getUsers({ id: doctor.id, take: 2, ...(from ? { from } : {}) });
    checkpointed.push(...data.users.map((user) => user.user_id));
    if (!data.next) break;
    from = data.next;
  }

  await management.users.deleteRoles({ id: first }, { roles: [nurse.id, admin.id] });
  await management.roles.deletePermissions({ id: doctor.id }, { permissions: [permission('write:patients')] });
  const { data: keptRoles } = await management.users.getRoles({ id: first });
  const { data: keptPermissions } = await management.users.getPermissions({ id: first });

  let refused;
  try {
    await management.users.assignRoles({ id: first }, { roles: ['rol_doesnotexist000'] });
  } catch (error) {
    refused = { statusCode: error.statusCode, errorCode: error.errorCode };
  }

  const sample = userPermissions.find((p) => p.permission_name === 'read:patients');
  console.log(JSON.stringify({
    userRoles: userRoles.map((r) => r.name),
    userPermissions: userPermissions.map((p) => p.permission_name),
    permissionShape: Object.keys(sample).filter((key) => key !== 'sources').sort(),
    rolePermissions: rolePermissions.map((p) => p.permission_name).sort(),
    roleUsers: roleUsers.length,
    roleUserShape: Object.keys(roleUsers[0]).sort(),
    checkpointed: checkpointed.length === roleUsers.length
      && checkpointed.every((id) => roleUsers.some((user) => user.user_id === id)),
    kept: { roles: keptRoles.map((r) => r.name), permissions: keptPermissions.map((p) => p.permission_name) },
    refused,
  }));
} catch (error) {
  console.error(error);
  if (error.cause) console.error('cause:', error.cause);
  process.exit(1);
}
