import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router'
import { useSession, type Area } from './stores/session'

declare module 'vue-router' {
  interface RouteMeta {
    area?: Area
    title?: string
    public?: boolean
  }
}

const routes: RouteRecordRaw[] = [
  { path: '/sign-in', name: 'sign-in', component: () => import('./views/SignInView.vue'), meta: { public: true } },
  {
    path: '/',
    component: () => import('./components/ConsoleLayout.vue'),
    children: [
      { path: '', name: 'dashboard', component: () => import('./views/DashboardView.vue'), meta: { title: 'nav.dashboard', area: 'orders' } },
      { path: 'auto-replies', name: 'auto-replies', component: () => import('./views/AutoRepliesView.vue'), meta: { title: 'nav.autoReplies', area: 'auto-replies' } },
      { path: 'orders', name: 'orders', component: () => import('./views/OrdersView.vue'), meta: { title: 'nav.orders', area: 'orders' } },
      { path: 'orders/:orderNo', name: 'order', component: () => import('./views/OrderDetailView.vue'), props: true, meta: { title: 'nav.orders', area: 'orders' } },
      { path: 'members', name: 'members', component: () => import('./views/MembersView.vue'), meta: { title: 'nav.members', area: 'members' } },
      { path: 'members/:id', name: 'member', component: () => import('./views/MemberDetailView.vue'), props: true, meta: { title: 'nav.members', area: 'members' } },
      { path: 'catalog', name: 'catalog', component: () => import('./views/CatalogView.vue'), meta: { title: 'nav.catalog', area: 'catalog' } },
      { path: 'catalog/:id', name: 'product', component: () => import('./views/ProductDetailView.vue'), props: true, meta: { title: 'nav.catalog', area: 'catalog' } },
      { path: 'refunds', name: 'refunds', component: () => import('./views/RefundsView.vue'), meta: { title: 'nav.refunds', area: 'refunds' } },
      { path: 'tiers', name: 'tiers', component: () => import('./views/TiersView.vue'), meta: { title: 'nav.tiers', area: 'loyalty' } },
      // offers (coupons, sign-in, points mall, lucky draws): src/offers/
      { path: 'coupons', name: 'coupons', component: () => import('./offers/CouponTemplatesView.vue'), meta: { title: 'offers.nav.coupons', area: 'offers' } },
      { path: 'coupons/:id', name: 'coupon', component: () => import('./offers/CouponTemplateView.vue'), props: true, meta: { title: 'offers.nav.coupons', area: 'offers' } },
      { path: 'offer-programs', name: 'offer-programs', component: () => import('./offers/OfferProgramsView.vue'), meta: { title: 'offers.nav.programs', area: 'offers' } },
      // end of offers
      { path: 'product-codes', name: 'product-codes', component: () => import('./views/ProductCodesView.vue'), meta: { title: 'nav.productCodes', area: 'product-codes' } },
      { path: 'segments', name: 'segments', component: () => import('./views/SegmentsView.vue'), meta: { title: 'nav.segments', area: 'audience' } },
      { path: 'channels', name: 'channels', component: () => import('./views/ChannelsView.vue'), meta: { title: 'nav.channels', area: 'channels' } },
      { path: 'followers', name: 'followers', component: () => import('./views/FollowersView.vue'), meta: { title: 'nav.followers', area: 'channels' } },
      { path: 'campaigns', name: 'campaigns', component: () => import('./views/CampaignsView.vue'), meta: { title: 'nav.campaigns', area: 'campaigns' } },
      { path: 'campaigns/:id', name: 'campaign', component: () => import('./views/CampaignDetailView.vue'), props: true, meta: { title: 'nav.campaigns', area: 'campaigns' } },
      // journeys: src/journeys/
      { path: 'journeys', name: 'journeys', component: () => import('./journeys/JourneysView.vue'), meta: { title: 'journeys.nav', area: 'campaigns' } },
      { path: 'journeys/new', name: 'journey-new', component: () => import('./journeys/JourneyEditView.vue'), meta: { title: 'journeys.nav', area: 'campaigns' } },
      { path: 'journeys/:id', name: 'journey', component: () => import('./journeys/JourneyDetailView.vue'), props: true, meta: { title: 'journeys.nav', area: 'campaigns' } },
      { path: 'journeys/:id/edit', name: 'journey-edit', component: () => import('./journeys/JourneyEditView.vue'), props: true, meta: { title: 'journeys.nav', area: 'campaigns' } },
      { path: 'marketplace', name: 'marketplace', component: () => import('./marketplace/MarketplaceView.vue'), meta: { title: 'marketplace.nav', area: 'marketplace' } },
      { path: 'metrics', name: 'metrics', component: () => import('./views/MetricsView.vue'), meta: { title: 'nav.metrics', area: 'metrics' } },
      { path: 'operators', name: 'operators', component: () => import('./views/OperatorsView.vue'), meta: { title: 'nav.operators', area: 'operators' } },
      { path: 'api-tokens', name: 'api-tokens', component: () => import('./views/ApiTokensView.vue'), meta: { title: 'nav.apiTokens', area: 'operators' } },
      { path: 'audit', name: 'audit', component: () => import('./views/AuditView.vue'), meta: { title: 'nav.audit', area: 'operators' } },
    ],
  },
  { path: '/:rest(.*)*', redirect: '/' },
]

export const router = createRouter({ history: createWebHistory('/console/'), routes })

router.beforeEach(async (to) => {
  if (to.meta.public) return true
  const session = useSession()
  if (!(await session.restore())) return { name: 'sign-in', query: { next: to.fullPath } }
  return true
})
