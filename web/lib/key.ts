// The API key a person enters to act on a report (submit, return, accept, review a finding). While it is set,
// the pages send it with every request they make (a deployment may require a key to read drafts); where it is
// kept is web/lib/api.ts's business (this tab's sessionStorage, never a URL, a cookie or a log).
import { ApiError, api, currentKey, rememberKey } from './api.js'
import { fill, h } from './dom.js'

export type Role = 'admin' | 'submitter' | 'reviewer' | 'reader'
/** The entered key as the service describes it (GET /v1/keys/current): name, role and scope, never the secret. */
export interface KeyInfo {
  id: number
  name: string
  role: Role
  regions: string[]
  agencies: number[]
}
export const ROLE_NAMES: Record<Role, string> = { admin: '管理员', submitter: '填报单位', reviewer: '审核单位', reader: '只读' }

let known: { key: string; info: KeyInfo } | null = null

/** Who the entered key is, asked once a key (null without one, or when the service no longer knows it). */
export async function keyInfo(): Promise<KeyInfo | null> {
  const key = currentKey()
  if (!key) return null
  if (known?.key === key) return known.info
  try {
    known = { key, info: await api<KeyInfo>('/v1/keys/current', { cache: 'no-store' }) }
    return known.info
  } catch {
    return null
  }
}

/**
 * Whether the key's scope covers an agency, as the service decides it (an admin everywhere; a submitter or a
 * reviewer for the agencies and region prefixes it names): the pages offer only what the service would allow.
 */
export function covers(info: KeyInfo, agency: { id: number; regionCode: string }): boolean {
  return info.role === 'admin' || info.agencies.includes(agency.id) || info.regions.some((p) => agency.regionCode.startsWith(p))
}

/** A refusal in words: who may not, and the problem's own detail and errors. */
export function problemText(e: unknown): string {
  if (!(e instanceof ApiError)) return (e as Error).message
  const reason: Record<number, string> = {
    401: '密钥无效或缺失',
    403: '该密钥无权办理',
    404: '没有找到',
    409: '当前状态不允许',
    412: '报告已被他人修改，请刷新',
    422: '未能办理'
  }
  return `${reason[e.status] ?? `未能办理（HTTP ${e.status}）`}：${e.message}`
}

/**
 * The key form (a labelled password field), or, once a key is set, a line saying whose key it is (name and role)
 * with a button to clear it. A key is tried by asking the service who it is (GET /v1/keys/current) before it is
 * kept: an invalid or revoked key is refused at once. The panel
 * changes once the page has been read again with (or without) the key.
 */
export function keyPanel(target: string, onChange: () => Promise<void>): void {
  const render = async () => {
    if (currentKey()) {
      const info = await keyInfo()
      fill(
        target,
        h(
          'p',
          { class: 'key-set' },
          info ? h('span', { id: 'key-who' }, `已输入 API 密钥：${info.name}（${ROLE_NAMES[info.role]}）`) : '已输入 API 密钥',
          '，只保存在本标签页，关闭即清除。 ',
          h(
            'button',
            {
              type: 'button',
              id: 'key-clear',
              class: 'secondary',
              onclick: async () => {
                rememberKey(null)
                await onChange().catch(() => undefined)
                await render()
                document.getElementById('key-input')?.focus()
              }
            },
            '清除密钥'
          )
        )
      )
      return
    }
    const input = h('input', { id: 'key-input', type: 'password', autocomplete: 'off', required: true, size: 36 })
    const status = h('p', { id: 'key-status', class: 'key-status', 'aria-live': 'polite' })
    const form = h(
      'form',
      { id: 'key-form', class: 'controls' },
      h('label', null, 'API 密钥', input),
      h('button', { type: 'submit' }, '使用密钥')
    )
    form.addEventListener('submit', async (event) => {
      event.preventDefault()
      const key = input.value.trim()
      if (!key) return
      try {
        const info = await api<KeyInfo>('/v1/keys/current', { headers: { authorization: `Bearer ${key}` }, cache: 'no-store' })
        known = { key, info }
      } catch (e) {
        fill(status, h('span', { class: 'notice error', role: 'alert' }, problemText(e)))
        input.select()
        return
      }
      input.value = ''
      rememberKey(key)
      await onChange().catch(() => undefined)
      await render()
      document.getElementById('key-clear')?.focus()
    })
    fill(
      target,
      form,
      h(
        'p',
        { class: 'hint' },
        '填报单位的密钥可报送、撤回和说明问题；审核单位的密钥可采纳、退回和确认或排除问题。密钥只保存在本标签页，不会出现在网址中。'
      ),
      status
    )
  }
  void render()
}
