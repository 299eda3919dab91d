import { titled } from "@/lib/server-i18n";

import { ProfileView } from "./profile-view";

export const generateMetadata = titled("profile.title");

export default function ProfilePage() {
  return <ProfileView />;
}
